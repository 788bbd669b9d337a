using System.Text.Json;
using Obscura.Nn.Models;
using Obscura.Nn.Optimizers;
using Obscura.Nn.Serialization;
using Obscura.Tensors;

namespace Obscura.Training;

/// <summary>
/// Checkpoints of a run: checkpoints/step-N/ holds model.safetensors, ema.safetensors,
/// optimizer.safetensors and state.json. A checkpoint is written under a temporary directory name,
/// renamed into place when complete, and only then named by checkpoints/latest (written
/// atomically); older ones are removed after. A crash at any point leaves the previous checkpoint
/// intact and named.
/// </summary>
public sealed class Checkpoints(RunFolder run)
{
    public void Save(Model model, Ema? ema, IOptimizer optimizer, TrainState state)
    {
        Directory.CreateDirectory(run.CheckpointsDir);
        var name = $"step-{state.Step:D9}";
        var final = Path.Combine(run.CheckpointsDir, name);
        if (Directory.Exists(final))
        {
            if (run.LatestCheckpoint() == final)
            {
                return;
            }
            // Left by a crash between its rename and the write of latest: not a checkpoint of this run's history.
            Directory.Delete(final, recursive: true);
        }
        var temp = final + ".tmp-" + Environment.ProcessId;
        if (Directory.Exists(temp))
        {
            Directory.Delete(temp, recursive: true);
        }
        Directory.CreateDirectory(temp);
        SafeTensors.Save(Path.Combine(temp, "model.safetensors"), model.Parameters.Select(p => (p.Name, p.Value)));
        if (ema is not null)
        {
            SafeTensors.Save(Path.Combine(temp, "ema.safetensors"), ema.Shadow.Select(p => (p.Name, p.Value)));
        }
        SafeTensors.Save(Path.Combine(temp, "optimizer.safetensors"), optimizer.State);
        RunFolder.WriteAtomically(Path.Combine(temp, "state.json"), JsonSerializer.Serialize(state, RunFolder.Json));
        Directory.Move(temp, final);
        RunFolder.WriteAtomically(run.LatestFile, name);
        foreach (var old in Directory.EnumerateDirectories(run.CheckpointsDir, "step-*"))
        {
            if (Path.GetFileName(old) != name)
            {
                Directory.Delete(old, recursive: true);
            }
        }
    }

    /// <summary>Loads the latest checkpoint into the model, EMA and optimizer; null when there is none.</summary>
    public TrainState? TryRestore(Model model, Ema? ema, IOptimizer optimizer)
    {
        var dir = run.LatestCheckpoint();
        if (dir is null)
        {
            return null;
        }
        SafeTensors.LoadInto(Path.Combine(dir, "model.safetensors"), model.Parameters.Select(p => (p.Name, p.Value)));
        if (ema is not null)
        {
            SafeTensors.LoadInto(Path.Combine(dir, "ema.safetensors"), ema.Shadow.Select(p => (p.Name, p.Value)));
        }
        SafeTensors.LoadInto(Path.Combine(dir, "optimizer.safetensors"), optimizer.State.Select(s => (s.Name, (Tensor)s.Value)));
        var stateFile = Path.Combine(dir, "state.json");
        return RunFolder.ReadJson<TrainState>(stateFile, "training state");
    }
}
