namespace SecureActors.Benchmarks.Scenarios;

/// <summary>The circumstances a report was measured under, printed with it.</summary>
internal sealed record RunConditions
{
    public required bool Quick { get; init; }

    public required int Repetitions { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required string LoadBefore { get; init; }

    public string LoadAfter { get; init; } = "";

    public TimeSpan Elapsed { get; init; }

    public required string Cpu { get; init; }

    public required int Cores { get; init; }

    public required string Runtime { get; init; }

    public required string OpenSsl { get; init; }

    public string PeerCheck { get; init; } = "";
}
