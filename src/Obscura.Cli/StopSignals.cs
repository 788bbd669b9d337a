using System.Runtime.InteropServices;

namespace Obscura.Cli;

/// <summary>
/// Turns Ctrl-C (SIGINT) and SIGTERM into a cancellation request while it is alive, so long work
/// stops between steps, with its checkpoint and ledger saved, instead of being killed mid-step.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _cancel = new();
    private readonly PosixSignalRegistration[] _registrations;

    public StopSignals()
    {
        _registrations =
        [
            PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop),
            PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop),
        ];
    }

    /// <summary>Cancelled once a stop signal has arrived.</summary>
    public CancellationToken Token => _cancel.Token;

    public bool StopRequested => _cancel.IsCancellationRequested;

    private void Stop(PosixSignalContext context)
    {
        context.Cancel = true;
        _cancel.Cancel();
    }

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
        _cancel.Dispose();
    }
}
