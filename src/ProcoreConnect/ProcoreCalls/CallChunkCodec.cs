using System.Text;

namespace ProcoreConnect.ProcoreCalls;

/// <summary>
/// Packs a workspace's calls into the compact binary blob of a <see cref="CallChunkEntity"/>, and
/// unpacks it: one row for many calls instead of a row each, well inside a property's 64 KiB.
/// </summary>
public static class CallChunkCodec
{
    /// <summary>The most bytes a chunk's blob holds (a binary property may hold 64 KiB).</summary>
    public const int MaxBytes = 32 * 1024;

    private const byte Version = 1;
    private const byte Locally = 1, Retried = 2, HasRequestId = 4, HasRemaining = 8, HasError = 16;

    /// <summary>The calls, newest-ended first, cut into blobs of at most <see cref="MaxBytes"/>, each with its calls.</summary>
    public static IEnumerable<(byte[] Blob, IReadOnlyList<ProcoreCallEntry> Calls)> Pack(IEnumerable<ProcoreCallEntry> calls)
    {
        using var blob = new MemoryStream();
        using var writer = new BinaryWriter(blob, Encoding.UTF8, leaveOpen: true);
        var packed = new List<ProcoreCallEntry>();
        writer.Write(Version);
        foreach (var call in calls.OrderByDescending(c => c.Ended))
        {
            var before = blob.Length;
            Write(writer, call);
            writer.Flush();
            if (blob.Length > MaxBytes && packed.Count > 0)
            {
                blob.SetLength(before);
                yield return (blob.ToArray(), packed);
                packed = [];
                blob.SetLength(0);
                writer.Write(Version);
                Write(writer, call);
                writer.Flush();
            }

            packed.Add(call);
        }

        if (packed.Count > 0)
        {
            yield return (blob.ToArray(), packed);
        }
    }

    /// <summary>A blob's calls, in the order they were packed; none when the blob is empty or of an unknown version.</summary>
    public static IReadOnlyList<ProcoreCall> Unpack(byte[]? blob)
    {
        if (blob is not { Length: > 0 } || blob[0] != Version)
        {
            return [];
        }

        var calls = new List<ProcoreCall>();
        using var reader = new BinaryReader(new MemoryStream(blob, 1, blob.Length - 1), Encoding.UTF8);
        while (reader.BaseStream.Position < reader.BaseStream.Length)
        {
            var at = new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero);
            var duration = reader.ReadDouble();
            var method = reader.ReadString();
            var path = reader.ReadString();
            var status = reader.Read7BitEncodedInt();
            var flags = reader.ReadByte();
            calls.Add(new ProcoreCall
            {
                At = at, DurationMs = duration, Method = method, Path = path, Status = status,
                AnsweredLocally = (flags & Locally) != 0, Retried = (flags & Retried) != 0,
                ProcoreRequestId = (flags & HasRequestId) != 0 ? reader.ReadString() : null,
                RateLimitRemaining = (flags & HasRemaining) != 0 ? reader.ReadInt64() : null,
                Error = (flags & HasError) != 0 ? reader.ReadString() : null,
            });
        }

        return calls;
    }

    private static void Write(BinaryWriter writer, ProcoreCallEntry call)
    {
        writer.Write(call.At.UtcTicks);
        writer.Write(call.DurationMs);
        writer.Write(call.Method);
        writer.Write(call.Path);
        writer.Write7BitEncodedInt(call.Status);
        writer.Write((byte)((call.AnsweredLocally ? Locally : 0) | (call.Retried ? Retried : 0) | (call.ProcoreRequestId is null ? 0 : HasRequestId)
            | (call.RateLimitRemaining is null ? 0 : HasRemaining) | (call.Error is null ? 0 : HasError)));
        if (call.ProcoreRequestId is { } requestId)
        {
            writer.Write(requestId);
        }

        if (call.RateLimitRemaining is { } remaining)
        {
            writer.Write(remaining);
        }

        if (call.Error is { } error)
        {
            writer.Write(error);
        }
    }
}
