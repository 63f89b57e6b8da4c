/// One RFC 5424 structured-data element: `[junos@2636.1.1.1.2.18 username="alice" …]`.
public struct StructuredDataElement: Sendable, Hashable {
    /// The SD-ID (`junos@2636.1.1.1.2.18`, `timeQuality`, …).
    public var id: String
    /// The parameters in the order received, values unescaped (`\"`, `\\`, `\]`).
    public var parameters: [Parameter]

    /// One `name="value"` pair.
    public struct Parameter: Sendable, Hashable {
        /// The PARAM-NAME.
        public var name: String
        /// The PARAM-VALUE, unescaped.
        public var value: String

        /// Creates a parameter.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// Creates an element.
    public init(id: String, parameters: [Parameter]) {
        self.id = id
        self.parameters = parameters
    }

    /// The value of the first parameter called `name`, if any.
    public subscript(name: String) -> String? {
        parameters.first { $0.name == name }?.value
    }
}
