using System.CommandLine;
using Obscura.Tensors.Blas;

namespace Obscura.Cli.Commands;

/// <summary>Options that several commands share, so they are spelled and documented once.</summary>
public static class SharedOptions
{
    public static Option<bool> Json() =>
        new("--json") { Description = "End with one machine-readable JSON line on standard output; everything else goes to standard error." };

    public static Option<int?> Threads() =>
        new("--threads") { Description = "Threads for the math (default: all cores)." };

    public static Option<string> Blas() =>
        new("--blas") { Description = "GEMM provider: auto, native (OpenBLAS) or managed.", DefaultValueFactory = _ => "auto" };

    /// <summary>Applies --blas and --threads to the process-wide GEMM provider.</summary>
    public static IGemmProvider ConfigureBlas(string? blas, int? threads) =>
        Gemm.Configure(Gemm.Parse(blas ?? "auto"), threads);
}
