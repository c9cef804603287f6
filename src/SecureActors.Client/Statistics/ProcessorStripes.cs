namespace SecureActors.Client.Statistics;

/// <summary>How the striped statistics pick a stripe: one per processor, rounded up to a power of two, at most 16.</summary>
internal static class ProcessorStripes
{
    private const int Max = 16;

    public static int CountFor(int processors) =>
        (int)Math.Min(Max, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Math.Max(1, processors)));

    /// <summary>The caller's stripe; a thread that moves processors right after only shares a stripe for a moment.</summary>
    public static int Current(int mask) => Thread.GetCurrentProcessorId() & mask;
}
