using System.Collections.Generic;
using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;

namespace NexusOrleans.CodeGenerator.Parsing;

/// <summary>
/// Names of generated types. All proxies of a compilation share the namespace <c>NexusOrleans.Generated</c>, so a
/// proxy's name must encode the interface's full name without ambiguity: <c>A.B_C.IFoo</c> and <c>A_B.C.IFoo</c> must
/// not meet. Letters and digits are kept; every other character becomes a two-character token starting with
/// '_' (a name separator '__', an underscore '_x', anything else '_u' and four hex digits), so decoding is unique.
/// '.' and '+' may share a token because a namespace and a type of the same full name cannot both be declared
/// in one compilation.
/// </summary>
internal static class ProxyNaming
{
    public static string ProxyName(INamedTypeSymbol grainInterface)
    {
        var parts = new List<string>();
        for (var type = grainInterface; type is not null; type = type.ContainingType)
        {
            parts.Add(type.MetadataName);
        }

        for (var ns = grainInterface.ContainingNamespace; ns is { IsGlobalNamespace: false }; ns = ns.ContainingNamespace)
        {
            parts.Add(ns.Name);
        }

        parts.Reverse();
        var name = new StringBuilder();
        for (var i = 0; i < parts.Count; i++)
        {
            if (i > 0)
            {
                name.Append("__");
            }

            Encode(parts[i], name);
        }

        return name.Append("Proxy").ToString();
    }

    /// <summary>
    /// <c>{Method}Request</c>, numbered from 2 when the proxy already has that name (overloads, or the same method
    /// name on several interfaces). Request classes are nested in their proxy, so only the proxy's names matter.
    /// </summary>
    public static string RequestName(string methodName, ISet<string> taken)
    {
        var baseName = methodName + "Request";
        var candidate = baseName;
        for (var n = 2; !taken.Add(candidate); n++)
        {
            candidate = baseName + n.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }

    private static void Encode(string part, StringBuilder name)
    {
        foreach (var c in part)
        {
            if (c == '_')
            {
                name.Append("_x");
            }
            else if (char.IsLetterOrDigit(c))
            {
                name.Append(c);
            }
            else
            {
                name.Append("_u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
            }
        }
    }
}
