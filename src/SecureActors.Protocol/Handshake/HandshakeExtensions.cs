namespace SecureActors.Protocol.Handshake;

/// <summary>Conveniences for running a handshake's crypto on the calling thread.</summary>
public static class HandshakeExtensions
{
    /// <summary>
    /// Executes every operation the step asks for inline, feeding results back, until the machine
    /// needs input, completes or fails. Outputs produced along the way are concatenated in order.
    /// </summary>
    public static HandshakeStep RunInline(this HandshakeMachine machine, HandshakeStep step)
    {
        ArgumentNullException.ThrowIfNull(machine);
        ArgumentNullException.ThrowIfNull(step);
        var output = new List<byte>(step.Output.Length);
        output.AddRange(step.Output.Span);
        while (step.Status == HandshakeStatus.AwaitingCrypto && step.Operation is not null)
        {
            step = machine.Complete(step.Operation.Execute());
            output.AddRange(step.Output.Span);
        }

        return new HandshakeStep(step.Status, output.ToArray(), step.Operation, step.Result, step.Failure);
    }
}
