using System.Text.Json;

namespace Obscura.Cli;

/// <summary>Writes one JSON object on one line, with snake_case field names.</summary>
public static class JsonLine
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    public static void Write(TextWriter writer, object value) =>
        writer.WriteLine(JsonSerializer.Serialize(value, value.GetType(), Options));
}
