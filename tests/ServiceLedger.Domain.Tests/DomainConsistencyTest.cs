using System.Reflection;
using System.Runtime.CompilerServices;

namespace ServiceLedger.Domain.Tests;

/// <summary>Rules every public domain type follows (STYLE.md rules 3 and 4), checked by reflection as NodaTime's ConsistencyTest does. (Public fields are already refused by analyzers CA1051 and CA2211.)</summary>
public sealed class DomainConsistencyTest
{
    private static readonly Type[] PublicTypes = typeof(DomainMarker).Assembly.GetExportedTypes();

    [Fact]
    public void Every_public_struct_is_readonly()
    {
        var mutable = PublicTypes
            .Where(type => type.IsValueType && !type.IsEnum && type.GetCustomAttribute<IsReadOnlyAttribute>() is null)
            .Select(type => type.FullName)
            .ToArray();

        Assert.Empty(mutable);
    }

    [Fact]
    public void No_public_domain_property_has_a_public_setter_other_than_init()
    {
        var settable = PublicTypes
            .SelectMany(type => type.GetProperties(BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly))
            .Where(property => property.SetMethod is { IsPublic: true } setter && !IsInitOnly(setter))
            .Select(property => $"{property.DeclaringType!.FullName}.{property.Name}")
            .ToArray();

        Assert.Empty(settable);
    }

    private static bool IsInitOnly(MethodInfo setter) =>
        setter.ReturnParameter.GetRequiredCustomModifiers().Contains(typeof(IsExternalInit));
}
