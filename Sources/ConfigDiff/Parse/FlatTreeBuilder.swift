/// Builds a tree from (indent, text) pairs like ``TreeBuilder``, with every children array made
/// once at its exact size.
///
/// Finished nodes wait on one flat stack until their parent closes; the parent then moves its
/// run of the stack into a new array of exactly that many nodes. Nothing is appended to a
/// children array (no regrowth), and nodes are moved, not copied (no reference counting per
/// node). The top level is the run of the stack that is left at the end.
///
/// Same rules as ``TreeBuilder``: a node is a child of the nearest earlier open node with a
/// smaller indent, nesting is capped at ``ConfigParser/maxDepth``, and `add` reports the node's
/// depth and whether a top-level node with children was closed on the way.
///
/// A class so that its manually managed stack is released in `deinit` whatever happens; used by
/// one parse on one thread, never shared, and no method of it calls another with one of its
/// properties borrowed: so its properties opt out of dynamic exclusivity checks, which would
/// otherwise cost more than the work itself on every statement.
final class FlatTreeBuilder {
    /// Finished nodes not yet moved into their parent, in source order.
    @exclusivity(unchecked) private var stack: UnsafeMutablePointer<ConfigNode>
    @exclusivity(unchecked) private var stackCount = 0
    @exclusivity(unchecked) private var stackCapacity: Int
    /// The open nodes, innermost last (at most ``ConfigParser/maxDepth``, so a fixed buffer).
    @exclusivity(unchecked) private var open: UnsafeMutablePointer<OpenNode>
    @exclusivity(unchecked) private var openCount = 0

    /// An open node: its text, 1-based line, indent, and where its children start on `stack`.
    private struct OpenNode {
        var text: String
        var line: Int
        var indent: Int
        var first: Int
    }

    /// Creates a builder; `expected` is a hint of how many nodes may wait at once.
    init(expected: Int = 1024) {
        stackCapacity = max(16, expected)
        stack = UnsafeMutablePointer<ConfigNode>.allocate(capacity: stackCapacity)
        open = UnsafeMutablePointer<OpenNode>.allocate(capacity: ConfigParser.maxDepth + 1)
    }

    deinit {
        stack.deinitialize(count: stackCount)
        stack.deallocate()
        open.deinitialize(count: openCount)
        open.deallocate()
    }

    /// Adds the statement `text` (source line `line`) at `indent` after closing the open nodes
    /// it is not nested in; returns its depth and whether a top-level node with children was
    /// closed on the way (the renderer writes a `!` line after such a section).
    @inline(__always)
    func add(_ text: String, line: Int, indent: Int) -> (depth: Int, closedSection: Bool) {
        var closedSection = false
        while openCount > 0 && open[openCount - 1].indent >= indent {
            if popOne() { closedSection = true }
        }
        var indent = indent
        if openCount >= ConfigParser.maxDepth {
            indent = open[openCount - 1].indent
            if popOne() { closedSection = true }
        }
        let depth = openCount
        (open + openCount).initialize(to: OpenNode(text: text, line: line, indent: indent, first: stackCount))
        openCount += 1
        return (depth, closedSection)
    }

    /// Closes the innermost open node; true when it was a top-level node with children.
    private func popOne() -> Bool {
        guard openCount > 0 else { return false }
        openCount -= 1
        let node = (open + openCount).move()
        let first = node.first
        let count = stackCount - first
        var children: [ConfigNode] = []
        if count > 0 {
            let source = stack + first
            children = [ConfigNode](unsafeUninitializedCapacity: count) { buffer, initialized in
                if let base = buffer.baseAddress { base.moveInitialize(from: source, count: count) }
                initialized = count
            }
            stackCount = first
        }
        push(ConfigNode(node.text, children: children, line: node.line))
        return openCount == 0 && count > 0
    }

    @inline(__always)
    private func push(_ node: ConfigNode) {
        if stackCount == stackCapacity {
            let capacity = stackCapacity * 2
            let grown = UnsafeMutablePointer<ConfigNode>.allocate(capacity: capacity)
            grown.moveInitialize(from: stack, count: stackCount)
            stack.deallocate()
            stack = grown
            stackCapacity = capacity
        }
        (stack + stackCount).initialize(to: node)
        stackCount += 1
    }

    /// Closes every open node; returns the top-level nodes and whether the last one closed here
    /// has children.
    func finishReportingSection() -> (roots: [ConfigNode], closedSection: Bool) {
        var closedSection = false
        while openCount > 0 {
            if popOne() { closedSection = true }
        }
        let count = stackCount
        let source = stack
        let roots = [ConfigNode](unsafeUninitializedCapacity: count) { buffer, initialized in
            if let base = buffer.baseAddress { base.moveInitialize(from: source, count: count) }
            initialized = count
        }
        stackCount = 0
        return (roots, closedSection)
    }
}
