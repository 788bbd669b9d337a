using Obscura.Nn.Layers;

namespace Obscura.Nn.Models;

/// <summary>The named architectures <c>--model</c> accepts.</summary>
public static class ModelZoo
{
    public static readonly string[] Names = ["tanh-cnn", "scatter-linear", "scatter-whitened-linear", "scatter-multiscale-linear", "scatter-cnn", "wrn-16-4"];

    /// <summary>Builds a freshly initialised model for inputs of <paramref name="inputShape"/> [C, H, W].</summary>
    public static Model Build(string name, int[] inputShape, int classes, Random rng) => name switch
    {
        "tanh-cnn" => TanhCnn(inputShape, classes, rng),
        "wrn-16-4" => WideResNet(16, 4, inputShape, classes, rng),
        "scatter-linear" => ScatterLinear(inputShape, classes, rng),
        "scatter-whitened-linear" => WhitenedLinear(inputShape, classes, rng),
        "scatter-multiscale-linear" => WhitenedLinear(inputShape, classes, rng, "scatter-multiscale-linear"),
        "scatter-cnn" => ScatterCnn(inputShape, classes, rng),
        _ => throw new ArgumentException($"--model must be one of {string.Join(", ", Names)}, got '{name}'."),
    };

    /// <summary>
    /// The two-conv tanh CNN of Papernot et al. 2021 for 1×28×28 inputs: conv 16@8×8 stride 2 pad 2,
    /// tanh, maxpool 2×2 stride 1, conv 32@4×4 stride 2, tanh, maxpool 2×2 stride 1, linear 512→32,
    /// tanh, linear 32→10 (26,010 parameters).
    /// </summary>
    public static Model TanhCnn(int[] inputShape, int classes, Random rng)
    {
        var c = inputShape[0];
        var features = Seq(
            ("conv1", new Conv2d(c, 16, 8, 2, 2, rng)),
            ("tanh1", new Tanh()),
            ("pool1", new MaxPool2d(2, 1)),
            ("conv2", new Conv2d(16, 32, 4, 2, 0, rng)),
            ("tanh2", new Tanh()),
            ("pool2", new MaxPool2d(2, 1)),
            ("flatten", new Flatten()));
        var flat = features.OutputShape(inputShape)[0];
        var root = Seq(
            ("features", features),
            ("fc1", new Linear(flat, 32, rng)),
            ("tanh3", new Tanh()),
            ("fc2", new Linear(32, classes, rng)));
        return new Model("tanh-cnn", root, inputShape, classes);
    }

    /// <summary>
    /// The head of Tramèr and Boneh 2021 over ScatterNet features [81·C, H/4, W/4]: per-example
    /// GroupNorm (27 groups, no affine parameters), then one linear layer.
    /// </summary>
    public static Model ScatterLinear(int[] inputShape, int classes, Random rng)
    {
        var features = inputShape[0] * inputShape[1] * inputShape[2];
        var root = Seq(
            ("norm", new GroupNorm(27, inputShape[0], affine: false)),
            ("flatten", new Flatten()),
            ("fc", new Linear(features, classes, rng)));
        return new Model("scatter-linear", root, inputShape, classes);
    }

    /// <summary>
    /// One linear layer over ScatterNet features that the front end has already normalised (GroupNorm,
    /// 27 groups) and whitened with a fixed map estimated from synthetic images; input [d, 1, 1].
    /// Also the head of scatter-multiscale-linear, whose front end puts the J = 1 scattering beside the J = 2 one.
    /// </summary>
    public static Model WhitenedLinear(int[] inputShape, int classes, Random rng, string name = "scatter-whitened-linear")
    {
        var features = inputShape[0] * inputShape[1] * inputShape[2];
        var root = Seq(
            ("flatten", new Flatten()),
            ("fc", new Linear(features, classes, rng)));
        return new Model(name, root, inputShape, classes);
    }

    /// <summary>
    /// The small tanh CNN over ScatterNet features (Tramèr and Boneh 2021): GroupNorm(27, no
    /// affine), conv 81·C→16 3×3 stride 2 pad 1, tanh, conv 16→32 3×3 pad 1, tanh, linear →32, tanh,
    /// linear 32→classes (512 inputs to the first linear layer for 28×28 images).
    /// </summary>
    public static Model ScatterCnn(int[] inputShape, int classes, Random rng)
    {
        var convs = Seq(
            ("norm", new GroupNorm(27, inputShape[0], affine: false)),
            ("conv1", new Conv2d(inputShape[0], 16, 3, 2, 1, rng)),
            ("tanh1", new Tanh()),
            ("conv2", new Conv2d(16, 32, 3, 1, 1, rng)),
            ("tanh2", new Tanh()),
            ("flatten", new Flatten()));
        var flat = convs.OutputShape(inputShape)[0];
        var root = Seq(
            ("features", convs),
            ("fc1", new Linear(flat, 32, rng)),
            ("tanh3", new Tanh()),
            ("fc2", new Linear(32, classes, rng)));
        return new Model("scatter-cnn", root, inputShape, classes);
    }

    private static Sequential Seq(params (string Name, Layer Layer)[] layers) => new(layers);

    /// <summary>
    /// WideResNet-depth-width (Zagoruyko and Komodakis 2016) as used for DP by De et al. 2022:
    /// pre-activation blocks (GroupNorm(16), ReLU, weight-standardised 3×3 conv), no dropout,
    /// a 1×1 weight-standardised projection when the shape changes, global average pooling, linear head.
    /// </summary>
    public static Model WideResNet(int depth, int width, int[] inputShape, int classes, Random rng)
    {
        if ((depth - 4) % 6 != 0)
        {
            throw new ArgumentException($"WideResNet depth must be 6n + 4, got {depth}.");
        }
        var blocksPerGroup = (depth - 4) / 6;
        int[] widths = [16, 16 * width, 32 * width, 64 * width];
        var layers = new List<(string, Layer)> { ("stem", new WsConv2d(inputShape[0], widths[0], 3, 1, 1, rng)) };
        var channels = widths[0];
        for (var g = 0; g < 3; g++)
        {
            for (var b = 0; b < blocksPerGroup; b++)
            {
                var stride = g > 0 && b == 0 ? 2 : 1;
                var outChannels = widths[g + 1];
                var main = Seq(
                    ("norm1", new GroupNorm(16, channels)),
                    ("relu1", new Relu()),
                    ("conv1", new WsConv2d(channels, outChannels, 3, stride, 1, rng)),
                    ("norm2", new GroupNorm(16, outChannels)),
                    ("relu2", new Relu()),
                    ("conv2", new WsConv2d(outChannels, outChannels, 3, 1, 1, rng)));
                Layer? shortcut = stride != 1 || channels != outChannels
                    ? new WsConv2d(channels, outChannels, 1, stride, 0, rng)
                    : null;
                layers.Add(($"group{g + 1}_block{b + 1}", new Residual(main, shortcut)));
                channels = outChannels;
            }
        }
        layers.Add(("norm", new GroupNorm(16, channels)));
        layers.Add(("relu", new Relu()));
        layers.Add(("pool", new GlobalAvgPool2d()));
        layers.Add(("head", new Linear(channels, classes, rng)));
        return new Model($"wrn-{depth}-{width}", new Sequential(layers), inputShape, classes);
    }
}
