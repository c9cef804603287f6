using System.Security.Cryptography;
using SecureActors.Protocol.Identity;

namespace SecureActors.Protocol.Tests.TestSupport;

/// <summary>
/// RSA keys generated once per test run and shared by every test class: key generation is the
/// slowest thing in this suite (4096-bit takes seconds), so nothing else generates keys.
/// </summary>
internal static class TestKeys
{
    private static readonly Lazy<LocalIdentity> LazyServer = new(() => LocalIdentity.Generate(2048));
    private static readonly Lazy<LocalIdentity> LazyClient = new(() => LocalIdentity.Generate(2048));
    private static readonly Lazy<LocalIdentity> LazyOther = new(() => LocalIdentity.Generate(2048));
    private static readonly Lazy<LocalIdentity> LazyServer3072 = new(() => LocalIdentity.Generate(3072));
    private static readonly Lazy<LocalIdentity> LazyServer4096 = new(() => LocalIdentity.Generate(4096));
    private static readonly Lazy<RSA> LazyWeak1024 = new(() => RSA.Create(1024));

    public static LocalIdentity Server => LazyServer.Value;

    public static LocalIdentity Client => LazyClient.Value;

    public static LocalIdentity Other => LazyOther.Value;

    public static LocalIdentity Server3072 => LazyServer3072.Value;

    public static LocalIdentity Server4096 => LazyServer4096.Value;

    public static RSA Weak1024 => LazyWeak1024.Value;
}
