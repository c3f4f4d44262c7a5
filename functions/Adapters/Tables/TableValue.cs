namespace ServiceLedger.Functions.Adapters.Tables;

/// <summary>The Edm types a property can have (azure.md 2.5). Only these are stored; null means "no property".</summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage(
    "Naming", "CA1720:Identifier contains type name", Justification = "The members are the Edm type names of the Table data model.")]
public enum TableValueKind
{
    /// <summary>Edm.String (the default type; no annotation on the wire).</summary>
    String = 1,

    /// <summary>Edm.Int32 (a JSON number).</summary>
    Int32,

    /// <summary>Edm.Int64 (a JSON string annotated Edm.Int64).</summary>
    Int64,

    /// <summary>Edm.Double (annotated, so 2.0 stays a double; NaN and infinities travel as strings).</summary>
    Double,

    /// <summary>Edm.Boolean.</summary>
    Boolean,

    /// <summary>Edm.DateTime (UTC, 100 ns precision, annotated).</summary>
    DateTime,

    /// <summary>Edm.Binary (base64, annotated).</summary>
    Binary,

    /// <summary>Edm.Guid (annotated).</summary>
    Guid,
}

/// <summary>
/// One typed property value. Immutable; converts implicitly from string, int, long, double, bool, DateTimeOffset,
/// byte[] and Guid. Reading it as another type throws <see cref="InvalidOperationException"/> naming both types.
/// Equality is by kind and value (binary by content). <c>default</c> is not a value: it reads as nothing and is refused
/// on write.
/// </summary>
public readonly struct TableValue : IEquatable<TableValue>
{
    // Numbers, booleans and UTC ticks live in _bits; strings, byte arrays and boxed Guids in _reference.
    private readonly object? _reference;
    private readonly long _bits;

    private TableValue(TableValueKind kind, object? reference, long bits)
    {
        Kind = kind;
        _reference = reference;
        _bits = bits;
    }

    /// <summary>The Edm type; 0 for <c>default</c>.</summary>
    public TableValueKind Kind { get; }

    /// <summary>An Edm.String value.</summary>
    public static TableValue FromString(string value) =>
        new(TableValueKind.String, value ?? throw new ArgumentNullException(nameof(value)), 0);

    /// <summary>An Edm.Int32 value.</summary>
    public static TableValue FromInt32(int value) => new(TableValueKind.Int32, null, value);

    /// <summary>An Edm.Int64 value.</summary>
    public static TableValue FromInt64(long value) => new(TableValueKind.Int64, null, value);

    /// <summary>An Edm.Double value.</summary>
    public static TableValue FromDouble(double value) => new(TableValueKind.Double, null, BitConverter.DoubleToInt64Bits(value));

    /// <summary>An Edm.Boolean value.</summary>
    public static TableValue FromBoolean(bool value) => new(TableValueKind.Boolean, null, value ? 1 : 0);

    /// <summary>An Edm.DateTime value, kept as UTC (the offset is not stored by the service).</summary>
    public static TableValue FromDateTime(DateTimeOffset value) => new(TableValueKind.DateTime, null, value.UtcTicks);

    /// <summary>An Edm.Binary value; the array is copied so later changes to it do not change this value.</summary>
    public static TableValue FromBinary(byte[] value) =>
        new(TableValueKind.Binary, (value ?? throw new ArgumentNullException(nameof(value))).ToArray(), 0);

    /// <summary>An Edm.Guid value.</summary>
    public static TableValue FromGuid(Guid value) => new(TableValueKind.Guid, value, 0);

    /// <summary>Converts a string to an Edm.String value.</summary>
    public static implicit operator TableValue(string value) => FromString(value);

    /// <summary>Converts an int to an Edm.Int32 value.</summary>
    public static implicit operator TableValue(int value) => FromInt32(value);

    /// <summary>Converts a long to an Edm.Int64 value.</summary>
    public static implicit operator TableValue(long value) => FromInt64(value);

    /// <summary>Converts a double to an Edm.Double value.</summary>
    public static implicit operator TableValue(double value) => FromDouble(value);

    /// <summary>Converts a bool to an Edm.Boolean value.</summary>
    public static implicit operator TableValue(bool value) => FromBoolean(value);

    /// <summary>Converts an instant to an Edm.DateTime value (UTC).</summary>
    public static implicit operator TableValue(DateTimeOffset value) => FromDateTime(value);

    /// <summary>Converts bytes to an Edm.Binary value (copied).</summary>
    public static implicit operator TableValue(byte[] value) => FromBinary(value);

    /// <summary>Converts a Guid to an Edm.Guid value.</summary>
    public static implicit operator TableValue(Guid value) => FromGuid(value);

    /// <summary>Equality by kind and value.</summary>
    public static bool operator ==(TableValue left, TableValue right) => left.Equals(right);

    /// <summary>Inequality by kind and value.</summary>
    public static bool operator !=(TableValue left, TableValue right) => !left.Equals(right);

    /// <summary>The Edm.String value.</summary>
    public string AsString() => (string)Expect(TableValueKind.String)._reference!;

    /// <summary>The Edm.Int32 value.</summary>
    public int AsInt32() => (int)Expect(TableValueKind.Int32)._bits;

    /// <summary>The Edm.Int64 value.</summary>
    public long AsInt64() => Expect(TableValueKind.Int64)._bits;

    /// <summary>The Edm.Double value.</summary>
    public double AsDouble() => BitConverter.Int64BitsToDouble(Expect(TableValueKind.Double)._bits);

    /// <summary>The Edm.Boolean value.</summary>
    public bool AsBoolean() => Expect(TableValueKind.Boolean)._bits != 0;

    /// <summary>The Edm.DateTime value, with offset zero.</summary>
    public DateTimeOffset AsDateTime() => new(Expect(TableValueKind.DateTime)._bits, TimeSpan.Zero);

    /// <summary>The Edm.Binary value (a read-only view; the value itself never changes).</summary>
    public ReadOnlyMemory<byte> AsBinary() => (byte[])Expect(TableValueKind.Binary)._reference!;

    /// <summary>The Edm.Guid value.</summary>
    public Guid AsGuid() => (Guid)Expect(TableValueKind.Guid)._reference!;

    /// <inheritdoc />
    public bool Equals(TableValue other) =>
        Kind == other.Kind && _bits == other._bits && Kind switch
        {
            TableValueKind.Binary => ((byte[])_reference!).AsSpan().SequenceEqual((byte[])other._reference!),
            _ => Equals(_reference, other._reference),
        };

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is TableValue other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode() => Kind switch
    {
        TableValueKind.Binary => HashCode.Combine(Kind, ((byte[])_reference!).Length),
        _ => HashCode.Combine(Kind, _reference, _bits),
    };

    /// <summary>The kind and value, for diagnostics.</summary>
    public override string ToString() => Kind switch
    {
        TableValueKind.String => $"String '{AsString()}'",
        TableValueKind.Int32 => $"Int32 {AsInt32()}",
        TableValueKind.Int64 => $"Int64 {AsInt64()}",
        TableValueKind.Double => $"Double {AsDouble():R}",
        TableValueKind.Boolean => $"Boolean {AsBoolean()}",
        TableValueKind.DateTime => $"DateTime {AsDateTime():O}",
        TableValueKind.Binary => $"Binary {((byte[])_reference!).Length} bytes",
        TableValueKind.Guid => $"Guid {AsGuid()}",
        _ => "no value",
    };

    private TableValue Expect(TableValueKind kind) => Kind == kind
        ? this
        : throw new InvalidOperationException($"The property holds {(Kind == 0 ? "no value" : Kind.ToString())}, not {kind}.");
}
