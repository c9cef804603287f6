namespace SecureActors.Client.Load;

/// <summary>The warm-up before a measured load run was not clean, so the measured run never started.</summary>
internal sealed class LoadWarmupException(LoadReport warmup)
    : Exception($"warm-up failed, measured run not started: {Describe(warmup)}")
{
    /// <summary>The warm-up's own report.</summary>
    public LoadReport Warmup { get; } = warmup;

    private static string Describe(LoadReport warmup) =>
        warmup.Errors.Count > 0
            ? string.Join(", ", warmup.Errors.Select(e => $"{e.Key} ×{e.Value}"))
            : $"{warmup.Sessions.Failed} sessions failed, {warmup.Verification.Lost} replies lost";
}
