using Obscura.Nn;

namespace Obscura.Training;

/// <summary>
/// Settings that change speed and memory, never the result beyond float rounding, and never the
/// privacy guarantee: the physical chunk size of a logical batch and how per-example norms are
/// computed. Threads and the BLAS provider are process-wide (<c>Gemm.Configure</c>).
/// </summary>
public sealed record PerformanceConfig(int PhysicalBatch = 512, NormMethod NormMethod = NormMethod.Auto);
