// Conv-path step benchmark: forward, backward, per-example norms (Auto), clipped sum, SGD update,
// non-private and DP steps interleaved in one process (compare their ratio: the machine's speed
// drifts between processes). Activations and flatten are minimal stand-ins defined below; the
// WideResNet stand-in has no GroupNorm and a 1×1 conv in place of each shortcut.
//   dotnet run -c Release --project bench/Obscura.ConvBench -- tanh|wrn|wrnws native|managed [steps] [cpu]
// "cpu" reports process CPU time with one thread everywhere (set OPENBLAS_NUM_THREADS=1 too), a
// figure that survives a shared, overloaded machine better than wall time.
using System.Diagnostics;
using Obscura.ConvBench;
using Obscura.Nn;
using Obscura.Nn.Layers;
using Obscura.Tensors;
using Obscura.Tensors.Blas;
using Obscura.Tensors.Kernels;
using TensorPrimitives = System.Numerics.Tensors.TensorPrimitives;

var model = args.Length > 0 ? args[0] : "tanh";
var blas = args.Length > 1 ? args[1] : "native";
var steps = args.Length > 2 ? int.Parse(args[2]) : 30;
var cpu = args.Length > 3 && args[3] == "cpu";
var threads = cpu ? 1 : Environment.ProcessorCount;
BatchParallel.Threads = threads;
Gemm.Configure(Gemm.Parse(blas), threads);
Console.WriteLine($"model={model} blas={Gemm.Current.Name} core={(Gemm.Current.Name == "native" ? NativeGemm.CoreName : "-")} threads={threads} clock={(cpu ? "cpu" : "wall")}");

var rng = new Random(1);
var (layers, batch, item) = model switch
{
    "tanh" => (TanhCnn(rng), 256, new[] { 1, 28, 28 }),
    "wrn" => (WideResNet(rng, ws: false), 64, new[] { 3, 32, 32 }),
    "wrnws" => (WideResNet(rng, ws: true), 64, new[] { 3, 32, 32 }),
    _ => throw new ArgumentException($"unknown model '{model}'"),
};
layers[0].NeedsInputGradient = false;
var x = new Tensor([batch, .. item]);
for (var i = 0; i < x.Length; i++)
{
    x.Span[i] = (float)rng.NextDouble();
}
var sources = layers.OfType<IGradientSource>().ToList();
var norms = new double[batch];
var scale = new float[batch];
var times = new Dictionary<string, List<double>>();
var process = Process.GetCurrentProcess();

for (var step = 0; step < steps + 5; step++)
{
    foreach (var dp in new[] { false, true })
    {
        var t0 = Now();
        Tensor h = x;
        foreach (var layer in layers)
        {
            h = layer.Forward(h);
        }
        var t1 = Now();
        var dy = new Tensor(h.Shape.ToArray());
        for (var i = 0; i < dy.Length; i++)
        {
            dy.Span[i] = 0.01f * (i % 7 - 3);
        }
        for (var i = layers.Count - 1; i >= 0; i--)
        {
            dy = layers[i].Backward(dy);
        }
        var t2 = Now();
        foreach (var p in sources.SelectMany(s => s.Parameters))
        {
            p.Grad.Clear();
        }
        if (dp)
        {
            Array.Clear(norms);
            foreach (var s in sources)
            {
                s.AddSquaredNorms(norms, 1, NormMethod.Auto);
            }
            for (var i = 0; i < batch; i++)
            {
                scale[i] = (float)Math.Min(1, 1 / (Math.Sqrt(norms[i]) + 1e-6));
            }
        }
        var t3 = Now();
        foreach (var s in sources)
        {
            s.AccumulateGradients(dp ? scale : [], 1);
        }
        foreach (var p in sources.SelectMany(s => s.Parameters))
        {
            TensorPrimitives.MultiplyAdd(p.Grad.Span, -1e-4f, p.Value.Span, p.Value.Span);
        }
        var t4 = Now();
        if (step >= 5)
        {
            var tag = dp ? "dp" : "np";
            Record(tag + ".forward", t1 - t0);
            Record(tag + ".backward", t2 - t1);
            Record(tag + ".norms", t3 - t2);
            Record(tag + ".sum+update", t4 - t3);
            Record(tag + ".total", t4 - t0);
        }
    }
}
foreach (var (key, values) in times)
{
    Console.WriteLine($"{key,-16} {Median(values),9:F2} ms");
}
double np = Median(times["np.total"]), dpTotal = Median(times["dp.total"]);
Console.WriteLine($"non-private {batch / np * 1000:F0} ex/s, DP {batch / dpTotal * 1000:F0} ex/s, DP/non-private {np / dpTotal:F2}");
Console.WriteLine($"GC: gen0 {GC.CollectionCount(0)}, gen2 {GC.CollectionCount(2)}, peak working set {process.PeakWorkingSet64 / 1048576} MB");
return 0;

double Now()
{
    if (!cpu)
    {
        return Stopwatch.GetTimestamp() * 1000.0 / Stopwatch.Frequency;
    }
    process.Refresh();
    return process.TotalProcessorTime.TotalMilliseconds;
}

void Record(string key, double value)
{
    if (!times.TryGetValue(key, out var list))
    {
        times[key] = list = [];
    }
    list.Add(value);
}

static double Median(List<double> values) => values.Order().ElementAt(values.Count / 2);

// conv 1→16 8×8 s2 p2, tanh, maxpool 2 s1, conv 16→32 4×4 s2, tanh, maxpool 2 s1, 512→32, tanh, 32→10.
static List<Layer> TanhCnn(Random rng) =>
[
    new Conv2d(1, 16, 8, 2, 2, rng), new Activation(tanh: true), new MaxPool2d(2, 1),
    new Conv2d(16, 32, 4, 2, 0, rng), new Activation(tanh: true), new MaxPool2d(2, 1),
    new Flatten(), new Linear(512, 32, rng), new Activation(tanh: true), new Linear(32, 10, rng),
];

// WRN-16-4's convolutions in sequence (no GroupNorm, no residual additions).
static List<Layer> WideResNet(Random rng, bool ws)
{
    Layer Conv(int i, int o, int k, int s, int p) => ws ? new WsConv2d(i, o, k, s, p, rng) : new Conv2d(i, o, k, s, p, rng);
    var layers = new List<Layer> { Conv(3, 16, 3, 1, 1) };
    var channels = 16;
    foreach (var (width, stride) in new[] { (64, 1), (128, 2), (256, 2) })
    {
        for (var block = 0; block < 2; block++)
        {
            layers.Add(new Activation(tanh: false));
            layers.Add(Conv(channels, width, 3, block == 0 ? stride : 1, 1));
            layers.Add(new Activation(tanh: false));
            layers.Add(Conv(width, width, 3, 1, 1));
            if (block == 0)
            {
                layers.Add(Conv(width, width, 1, 1, 0));
            }
            channels = width;
        }
    }
    layers.Add(new GlobalAvgPool2d());
    layers.Add(new Linear(256, 10, rng));
    return layers;
}
