using System.Diagnostics;
using Obscura.Nn.Scattering;
using Obscura.Tensors;

// Times ScatterNet on synthetic images (the cost does not depend on the pixel values).
// Usage: dotnet run -c Release --project bench/Obscura.ScatterBench -- [count=60000] [channels=1] [side=28] [threads=all] [repeats=2]
// Reports wall time and process CPU time; on a shared machine the CPU time is the steadier figure.
var count = args.Length > 0 ? int.Parse(args[0]) : 60000;
var channels = args.Length > 1 ? int.Parse(args[1]) : 1;
var side = args.Length > 2 ? int.Parse(args[2]) : 28;
var threads = args.Length > 3 ? int.Parse(args[3]) : Environment.ProcessorCount;
var repeats = args.Length > 4 ? int.Parse(args[4]) : 2;

var rng = new Random(1);
var images = new Tensor(count, channels, side, side);
foreach (ref var v in images.Span)
{
    v = (float)rng.NextDouble();
}
var build = Stopwatch.StartNew();
var net = new ScatterNet(channels, side, side) { MaxDegreeOfParallelism = threads };
Console.WriteLine($"filters built in {build.Elapsed.TotalSeconds:F2} s; [{channels}, {side}, {side}] → [{string.Join(", ", net.OutputShape)}], padded {net.PaddedHeight}×{net.PaddedWidth}");
var features = new Tensor(0);
var warm = Math.Min(count, 2000);
net.Transform(Tensor.FromArray(images.Data, warm, channels, side, side), features); // JIT warm-up
for (var r = 0; r < repeats; r++)
{
    var process = Process.GetCurrentProcess();
    var cpu = process.TotalProcessorTime;
    var clock = Stopwatch.StartNew();
    net.Transform(images, features);
    process.Refresh();
    var cpuSeconds = (process.TotalProcessorTime - cpu).TotalSeconds;
    Console.WriteLine($"{count} images, {threads} thread(s): wall {clock.Elapsed.TotalSeconds:F2} s, CPU {cpuSeconds:F2} s ({cpuSeconds * 1e6 / count:F0} CPU-µs per image)");
}
