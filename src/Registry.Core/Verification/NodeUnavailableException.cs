namespace Registry.Verification;

/// <summary>Why a check could not be completed: each a fault of the means to read the chain, never of the credential.</summary>
public enum UncheckedReason
{
    /// <summary>The node could not be reached: refused, no route, no such host.</summary>
    NodeUnreachable,

    /// <summary>The node did not answer in time.</summary>
    NodeTimeout,

    /// <summary>The node answered, but not with what was asked: an HTTP error, not JSON-RPC, a JSON-RPC error, malformed data.</summary>
    NodeBadAnswer,

    /// <summary>The registry is trusted, but no node to read it through is known.</summary>
    NoNode,
}

/// <summary>
/// The chain could not be read: thrown by an <see cref="IChainReader"/>, and turned by the pipeline into a
/// check that could not be completed (not a failed one). The message names the node by its origin only.
/// </summary>
public sealed class NodeUnavailableException(UncheckedReason reason, string message, Exception? inner = null) : Exception(message, inner)
{
    public UncheckedReason Reason { get; } = reason;

    /// <summary>True when the node gave no answer at all (as opposed to a wrong one).</summary>
    public bool Unreachable => Reason is UncheckedReason.NodeUnreachable or UncheckedReason.NodeTimeout;
}
