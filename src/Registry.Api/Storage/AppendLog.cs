using System.Buffers;
using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Registry.Api.Storage;

/// <summary>
/// A file of records that only grows: each record is its payload's length (4 bytes), its CRC-32C
/// (4 bytes) and the payload, after an 8-byte header naming what the file holds. An append is one
/// write followed by an fsync, and returns only once its records are on disk; appends that arrive
/// while another's fsync runs share the next one (group commit).
/// </summary>
/// <remarks>
/// A process killed mid-append leaves at most one incomplete append at the end: opening the file
/// drops it, since it was never acknowledged. Damage anywhere else is not a crash's doing, and
/// opening refuses the file rather than lose acknowledged records.
/// </remarks>
public sealed class AppendLog : IDisposable
{
    public const int HeaderSize = 8;
    public const int FrameSize = 8;
    /// <summary>The largest payload: a batch of 1,000,000 members takes 48 MB.</summary>
    public const int MaxPayload = 256 << 20;

    private readonly FileStream _file;
    private readonly Lock _writing = new();
    private readonly Lock _syncing = new();
    private long _length;
    private long _synced;

    /// <summary>Opens (or creates) the log, dropping an incomplete last append; <paramref name="onRecord"/> sees every record in order.</summary>
    public AppendLog(string path, string kind, Action<long, ReadOnlySpan<byte>>? onRecord = null)
    {
        if (kind.Length != HeaderSize) throw new ArgumentException("The kind is 8 ASCII characters.", nameof(kind));
        Path = path;
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, bufferSize: 0);
        if (_file.Length == 0)
        {
            // The records hold learners' names and identifiers: readable by the registry's own account only.
            if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(_file.SafeFileHandle, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            _file.Write(System.Text.Encoding.ASCII.GetBytes(kind));
            _file.Flush(flushToDisk: true);
        }
        _length = _synced = Scan(kind, onRecord);
    }

    public string Path { get; }

    /// <summary>Bytes in the file, header included: where the next record goes.</summary>
    public long Length
    {
        get { lock (_writing) return _length; }
    }

    /// <summary>Writes the framed records of <paramref name="records"/> at the end and waits until they are on disk; returns where they start.</summary>
    public long Append(RecordBuffer records)
    {
        var data = records.Written;
        long start, end;
        lock (_writing)
        {
            start = _length;
            RandomAccess.Write(_file.SafeFileHandle, data, start);
            end = _length = start + data.Length;
        }
        lock (_syncing)
        {
            if (_synced >= end) return start;
            long covered;
            lock (_writing) covered = _length;
            _file.Flush(flushToDisk: true);
            _synced = covered;
        }
        return start;
    }

    /// <summary>The payload of the record at <paramref name="offset"/>, checked against its CRC.</summary>
    public byte[] Read(long offset, int payloadLength)
    {
        var frame = new byte[FrameSize + payloadLength];
        var read = 0;
        while (read < frame.Length)
        {
            var n = RandomAccess.Read(_file.SafeFileHandle, frame.AsSpan(read), offset + read);
            if (n == 0) throw new InvalidDataException($"{Path} ends inside the record at offset {offset}.");
            read += n;
        }
        var length = BinaryPrimitives.ReadInt32LittleEndian(frame);
        var payload = frame.AsSpan(FrameSize);
        if (length != payloadLength || BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4)) != Checksum(payload))
            throw new InvalidDataException($"The record at offset {offset} of {Path} is damaged: it no longer matches its checksum.");
        return payload.ToArray();
    }

    /// <summary>CRC-32C, as each record carries it (hardware-accelerated where the processor has it).</summary>
    public static uint Checksum(ReadOnlySpan<byte> data)
    {
        var crc = ~0u;
        var words = MemoryMarshal.Cast<byte, ulong>(data);
        // Eight bytes at a time, in the order they lie in memory (the processors .NET runs on here are little-endian).
        foreach (var word in words) crc = BitOperations.Crc32C(crc, BitConverter.IsLittleEndian ? word : BinaryPrimitives.ReverseEndianness(word));
        foreach (var b in data[(words.Length * 8)..]) crc = BitOperations.Crc32C(crc, b);
        return ~crc;
    }

    private long Scan(string kind, Action<long, ReadOnlySpan<byte>>? onRecord)
    {
        var size = _file.Length;
        var header = new byte[HeaderSize];
        if (size < HeaderSize || RandomAccess.Read(_file.SafeFileHandle, header, 0) != HeaderSize || System.Text.Encoding.ASCII.GetString(header) != kind)
            throw new InvalidDataException($"{Path} is not a {kind.Trim()} file of this registry.");

        using var reader = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, bufferSize: 1 << 20);
        reader.Position = HeaderSize;
        var offset = (long)HeaderSize;
        var frame = new byte[FrameSize];
        var payload = ArrayPool<byte>.Shared.Rent(64 << 10);
        try
        {
            while (offset < size)
            {
                var damage = (string?)null;
                var length = 0;
                if (size - offset < FrameSize) damage = "a record's frame is cut short";
                else
                {
                    reader.ReadExactly(frame);
                    length = BinaryPrimitives.ReadInt32LittleEndian(frame);
                    if (length is < 0 or > MaxPayload) damage = $"a record claims {length} bytes";
                    else if (size - offset - FrameSize < length) damage = "a record is cut short";
                    else
                    {
                        if (payload.Length < length)
                        {
                            ArrayPool<byte>.Shared.Return(payload);
                            payload = ArrayPool<byte>.Shared.Rent(length);
                        }
                        reader.ReadExactly(payload, 0, length);
                        if (BinaryPrimitives.ReadUInt32LittleEndian(frame.AsSpan(4)) != Checksum(payload.AsSpan(0, length)))
                            damage = "a record does not match its checksum";
                    }
                }
                if (damage is not null)
                {
                    // Only the last append can be incomplete, and only if nothing readable follows it.
                    if (AnyRecordAfter(offset + 1, size))
                        throw new InvalidDataException($"{Path} is damaged at offset {offset} ({damage}), and records follow: refusing to drop them.");
                    _file.SetLength(offset);
                    _file.Flush(flushToDisk: true);
                    return offset;
                }
                onRecord?.Invoke(offset, payload.AsSpan(0, length));
                offset += FrameSize + length;
            }
            return offset;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(payload);
        }
    }

    /// <summary>Whether a complete record with a matching checksum starts anywhere in [from, size).</summary>
    private bool AnyRecordAfter(long from, long size)
    {
        if (size - from > MaxPayload + FrameSize) return true;
        var tail = new byte[size - from].AsSpan();
        RandomAccess.Read(_file.SafeFileHandle, tail, from);
        for (var i = 0; i + FrameSize <= tail.Length; i++)
        {
            var length = BinaryPrimitives.ReadInt32LittleEndian(tail[i..]);
            if (length <= 0 || length > tail.Length - i - FrameSize) continue;
            if (BinaryPrimitives.ReadUInt32LittleEndian(tail[(i + 4)..]) == Checksum(tail.Slice(i + FrameSize, length))) return true;
        }
        return false;
    }

    public void Dispose() => _file.Dispose();
}

/// <summary>Records framed for <see cref="AppendLog.Append"/>: built in memory, written with one call.</summary>
public sealed class RecordBuffer(int capacity = 4096)
{
    private readonly ArrayBufferWriter<byte> _buffer = new(capacity);

    public ReadOnlySpan<byte> Written => _buffer.WrittenSpan;

    /// <summary>Where the next record starts, from the start of the buffer.</summary>
    public int Position => _buffer.WrittenCount;

    /// <summary>Adds one record whose payload <paramref name="write"/> fills, exactly <paramref name="payloadLength"/> bytes.</summary>
    public void Add<TState>(int payloadLength, TState state, SpanAction<byte, TState> write)
    {
        var span = _buffer.GetSpan(AppendLog.FrameSize + payloadLength)[..(AppendLog.FrameSize + payloadLength)];
        var payload = span[AppendLog.FrameSize..];
        write(payload, state);
        BinaryPrimitives.WriteInt32LittleEndian(span, payloadLength);
        BinaryPrimitives.WriteUInt32LittleEndian(span[4..], AppendLog.Checksum(payload));
        _buffer.Advance(span.Length);
    }
}
