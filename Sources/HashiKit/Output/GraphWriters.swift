import Foundation

/// Output formats of `hashi graph`.
public enum GraphFormat: String, CaseIterable, Sendable {
    /// Node-link JSON (networkx `node_link_graph(data, edges="links")`, d3).
    case json
    /// GraphML with typed keys (networkx, Gephi, Cytoscape, igraph).
    case graphml
    /// Graphviz DOT, coloured by type, with a CJK font.
    case dot
    /// The DOT rendered by Graphviz's `dot`.
    case svg
}

/// Writes an ``EntityGraph`` as JSON, GraphML or DOT. Output depends only on
/// the graph (nodes and edges are already sorted): same graph, same bytes.
public enum GraphWriter {
    /// The font DOT asks for: CJK-capable (Debian `fonts-noto-cjk`).
    public static let fontName = "Noto Sans CJK JP"

    /// Fill colour of each type's nodes (from ColorBrewer Set3).
    public static func colour(_ type: EntityType) -> String {
        switch type {
        case .org: "#8dd3c7"
        case .product: "#fdb462"
        case .person: "#fb8072"
        case .place: "#80b1d3"
        case .term: "#d9d9d9"
        }
    }

    /// The graph as text in `format`: `svg` gives the DOT source, which ``Graphviz`` then renders.
    public static func write(_ graph: EntityGraph, format: GraphFormat) -> String {
        switch format {
        case .json: json(graph)
        case .graphml: graphML(graph)
        case .dot, .svg: dot(graph)
        }
    }

    /// A weight as written: fixed 4 decimals (`0.4123`, `-1.0000`).
    static func decimal(_ value: Double) -> String {
        let scaled = Int((abs(value) * 10_000).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        let fraction = String(scaled % 10_000)
        return "\(sign)\(scaled / 10_000).\(String(repeating: "0", count: 4 - fraction.count))\(fraction)"
    }

    // MARK: JSON

    /// Node-link JSON: `{"directed": false, "multigraph": false, "graph": {...}, "nodes": [...], "links": [...]}`.
    public static func json(_ graph: EntityGraph) -> String {
        var out: [UInt8] = []
        func raw(_ s: String) { out.append(contentsOf: s.utf8) }
        func string(_ s: String) { JSON.appendQuoted(s, to: &out) }
        raw("{\n  \"directed\": false,\n  \"multigraph\": false,\n  \"graph\": {\"window\": ")
        string(graph.window.rawValue)
        raw(", \"window_count\": \(graph.windowCount), \"document_count\": \(graph.documentCount)},\n  \"nodes\": [")
        for (k, node) in graph.nodes.enumerated() {
            raw(k == 0 ? "\n    {\"id\": " : ",\n    {\"id\": ")
            string(node.id)
            raw(", \"label\": "); string(node.label)
            raw(", \"en\": "); string(node.en)
            raw(", \"ja\": "); string(node.ja)
            raw(", \"type\": "); string(node.type.rawValue)
            raw(", \"mentions\": \(node.mentions), \"documents\": \(node.documents), \"windows\": \(node.windows), \"wikidata\": ")
            if let qid = node.wikidata { string(qid) } else { raw("null") }
            raw("}")
        }
        raw(graph.nodes.isEmpty ? "],\n  \"links\": [" : "\n  ],\n  \"links\": [")
        for (k, edge) in graph.edges.enumerated() {
            raw(k == 0 ? "\n    {\"source\": " : ",\n    {\"source\": ")
            string(edge.source)
            raw(", \"target\": "); string(edge.target)
            raw(", \"kind\": "); string(edge.kind)
            raw(", \"count\": \(edge.count), \"weight\": \(decimal(edge.weight)), \"relation\": ")
            string(edge.relation)
            raw(", \"relation_from\": "); string(edge.relationFrom)
            raw("}")
        }
        raw(graph.edges.isEmpty ? "]\n}\n" : "\n  ]\n}\n")
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: GraphML

    /// Escapes text for XML content and attribute values (see ``XML/escaped(_:)``).
    public static func xmlEscaped(_ s: String) -> String { XML.escaped(s) }

    /// GraphML: one `key` per attribute with its type (`string`, `int`, `double`).
    public static func graphML(_ graph: EntityGraph) -> String {
        var out = """
            <?xml version="1.0" encoding="UTF-8"?>
            <graphml xmlns="http://graphml.graphdrawing.org/xmlns" \
            xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" \
            xsi:schemaLocation="http://graphml.graphdrawing.org/xmlns http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd">

            """
        let keys: [(String, String, String)] = [
            ("graph", "window", "string"), ("graph", "window_count", "int"), ("graph", "document_count", "int"),
            ("node", "label", "string"), ("node", "en", "string"), ("node", "ja", "string"), ("node", "type", "string"),
            ("node", "mentions", "int"), ("node", "documents", "int"), ("node", "windows", "int"),
            ("node", "wikidata", "string"),
            ("edge", "kind", "string"), ("edge", "count", "int"), ("edge", "weight", "double"),
            ("edge", "relation", "string"), ("edge", "relation_from", "string"),
        ]
        for (domain, name, type) in keys {
            out += "  <key id=\"\(name)\" for=\"\(domain)\" attr.name=\"\(name)\" attr.type=\"\(type)\"/>\n"
        }
        out += "  <graph id=\"hashi\" edgedefault=\"undirected\">\n"
        out += "    <data key=\"window\">\(graph.window.rawValue)</data>\n"
        out += "    <data key=\"window_count\">\(graph.windowCount)</data>\n"
        out += "    <data key=\"document_count\">\(graph.documentCount)</data>\n"
        func data(_ key: String, _ value: String) -> String {
            "<data key=\"\(key)\">\(xmlEscaped(value))</data>"
        }
        for node in graph.nodes {
            out += "    <node id=\"\(xmlEscaped(node.id))\">"
            out += data("label", node.label) + data("en", node.en) + data("ja", node.ja) + data("type", node.type.rawValue)
            out +=
                data("mentions", String(node.mentions)) + data("documents", String(node.documents))
                + data("windows", String(node.windows))
            if let qid = node.wikidata { out += data("wikidata", qid) }
            out += "</node>\n"
        }
        for (k, edge) in graph.edges.enumerated() {
            out += "    <edge id=\"e\(k)\" source=\"\(xmlEscaped(edge.source))\" target=\"\(xmlEscaped(edge.target))\">"
            out += data("kind", edge.kind) + data("count", String(edge.count)) + data("weight", decimal(edge.weight))
            out += data("relation", edge.relation) + data("relation_from", edge.relationFrom)
            out += "</edge>\n"
        }
        out += "  </graph>\n</graphml>\n"
        return out
    }

    // MARK: DOT

    /// A DOT double-quoted string: `"` and `\` escaped, line breaks as `\n`, other
    /// controls and noncharacters dropped (Graphviz copies them into its SVG, which
    /// XML then forbids).
    public static func dotQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default:
                if !XML.isAllowed(scalar) || scalar.value < 0x20 { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// DOT for Graphviz: spring layout (neato), nodes filled by type with their
    /// bilingual label, edge width by weight, dictionary relations dashed and labelled.
    public static func dot(_ graph: EntityGraph) -> String {
        let font = dotQuoted(fontName)
        var out = "graph hashi {\n"
        out += "  graph [layout=neato, overlap=false, splines=true, sep=\"+8\", outputorder=edgesfirst, fontname=\(font), fontsize=11];\n"
        out += "  node [shape=box, style=\"rounded,filled\", color=\"#555555\", fontname=\(font), fontsize=11];\n"
        out += "  edge [color=\"#888888\", fontname=\(font), fontsize=9];\n"
        for node in graph.nodes {
            var tooltip =
                "\(node.label)\n\(node.type.rawValue), \(node.mentions) mention\(node.mentions == 1 ? "" : "s") in \(node.documents) document\(node.documents == 1 ? "" : "s")"
            if let qid = node.wikidata { tooltip += ", \(qid)" }
            out +=
                "  \(dotQuoted(node.id)) [label=\(dotQuoted(node.label)), fillcolor=\"\(colour(node.type))\", tooltip=\(dotQuoted(tooltip))];\n"
        }
        for edge in graph.edges {
            var attributes: [String] = []
            let strength = max(0, edge.weight)
            if edge.count > 0 {
                attributes.append("penwidth=\(decimal(0.6 + 3 * strength))")
            }
            if !edge.relations.isEmpty {
                attributes.append("label=\(dotQuoted(edge.relation.replacingOccurrences(of: ";", with: ", ")))")
                attributes.append("color=\"#3b6ea8\", fontcolor=\"#3b6ea8\"")
                if edge.count == 0 { attributes.append("style=dashed") }
            }
            let tooltip =
                "\(edge.source) – \(edge.target): \(edge.kind), count \(edge.count), weight \(decimal(edge.weight))"
                + (edge.relations.isEmpty ? "" : ", \(edge.relation)")
            attributes.append("tooltip=\(dotQuoted(tooltip))")
            out += "  \(dotQuoted(edge.source)) -- \(dotQuoted(edge.target)) [\(attributes.joined(separator: ", "))];\n"
        }
        // Legend: the types present, and what edges mean.
        let types = Set(graph.nodes.map(\.type)).sorted()
        if !types.isEmpty {
            var legend = "<<table border=\"0\" cellspacing=\"3\"><tr>"
            for type in types { legend += "<td bgcolor=\"\(colour(type))\">\(type.rawValue)</td>" }
            legend +=
                "</tr><tr><td colspan=\"\(types.count)\">line width: NPMI per \(graph.window.rawValue); "
                + "blue: dictionary relation (dashed: never together)</td></tr></table>>"
            out += "  label=\(legend);\n  labelloc=b;\n"
        }
        out += "}\n"
        return out
    }
}
