using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;

namespace NexusOrleans.CodeGenerator.Diagnostics;

/// <summary>A source location by file path and span, comparable by value.</summary>
internal sealed record LocationInfo(string FilePath, TextSpan TextSpan, LinePositionSpan LineSpan)
{
    public static LocationInfo? From(Location? location) =>
        location?.SourceTree is null
            ? null
            : new LocationInfo(location.SourceTree.FilePath, location.SourceSpan, location.GetLineSpan().Span);

    public Location ToLocation() => Location.Create(FilePath, TextSpan, LineSpan);
}
