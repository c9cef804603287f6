namespace SecureActors.Protocol.Records;

/// <summary>Application message kinds (first byte of the message header).</summary>
public enum MessageKind : byte
{
    /// <summary>Client → server; ids are 1, 2, 3, … in sending order.</summary>
    Request = 1,

    /// <summary>Server → client; answers the oldest unanswered request, carrying its id.</summary>
    Reply = 2,

    /// <summary>Either direction, unsolicited; ids count pushes per sender from 1.</summary>
    Push = 3,
}
