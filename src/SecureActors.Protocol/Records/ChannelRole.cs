namespace SecureActors.Protocol.Records;

/// <summary>Which end of the connection a channel is.</summary>
public enum ChannelRole
{
    /// <summary>The connecting side: sends requests, receives replies and pushes.</summary>
    Client,

    /// <summary>The accepting side: receives requests, sends replies and pushes.</summary>
    Server,
}
