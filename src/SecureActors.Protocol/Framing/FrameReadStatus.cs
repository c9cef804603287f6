namespace SecureActors.Protocol.Framing;

/// <summary>Outcome of one <see cref="FrameReader.TryRead"/> call.</summary>
public enum FrameReadStatus
{
    /// <summary>A whole frame was parsed; advance the input to <c>consumed</c>.</summary>
    Complete,

    /// <summary>More bytes are needed; advance to <c>consumed</c>/<c>examined</c> and read again.</summary>
    Incomplete,

    /// <summary>The input is invalid; send the alert in the failure and close.</summary>
    Invalid,
}
