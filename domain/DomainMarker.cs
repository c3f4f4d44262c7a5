namespace ServiceLedger.Domain;

/// <summary>Names the domain assembly for reflection-based consistency tests.</summary>
public static class DomainMarker;
