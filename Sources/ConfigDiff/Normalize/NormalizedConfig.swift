/// The result of normalizing one capture: what is stored, compared and shown.
public struct NormalizedConfig: Sendable, Hashable {
    /// The canonical rendered text, secrets masked, volatile lines gone. Normalizing it again
    /// gives the same text.
    public var text: String
    /// The parsed tree of ``text``.
    public var tree: ConfigTree
    /// How many volatile lines were deleted.
    public var removedVolatileLines: Int
    /// How many secret values were masked (already-masked values are not counted).
    public var maskedSecrets: Int

    /// Creates a result.
    public init(text: String, tree: ConfigTree, removedVolatileLines: Int, maskedSecrets: Int) {
        self.text = text
        self.tree = tree
        self.removedVolatileLines = removedVolatileLines
        self.maskedSecrets = maskedSecrets
    }
}
