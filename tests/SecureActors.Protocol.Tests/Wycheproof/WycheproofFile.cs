using System.Text.Json;
using SecureActors.Protocol.Tests.TestSupport;

namespace SecureActors.Protocol.Tests.Wycheproof;

/// <summary>One Wycheproof vector file, read from the shared folder at test time (never copied into the repo).</summary>
internal static class WycheproofFile
{
    public static IEnumerable<(JsonElement Group, JsonElement Test)> Tests(string fileName)
    {
        var path = Path.Combine(RepoFiles.Wycheproof(), fileName);
        using var document = JsonDocument.Parse(File.ReadAllBytes(path));
        var list = new List<(JsonElement, JsonElement)>();
        foreach (var group in document.RootElement.GetProperty("testGroups").EnumerateArray())
        {
            foreach (var test in group.GetProperty("tests").EnumerateArray())
            {
                list.Add((group.Clone(), test.Clone()));
            }
        }

        return list;
    }

    public static byte[] Hex(this JsonElement element, string name) => Convert.FromHexString(element.GetProperty(name).GetString()!);

    public static string Result(this JsonElement test) => test.GetProperty("result").GetString()!;

    public static int Id(this JsonElement test) => test.GetProperty("tcId").GetInt32();
}
