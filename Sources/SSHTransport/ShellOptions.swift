/// How to drive an interactive CLI on a PTY (network devices). Patterns are regular
/// expressions (Swift `Regex` syntax) matched against the whole last line of output, with
/// carriage returns removed.
public struct ShellOptions: Sendable {
    /// The prompt, e.g. `[\w.@-]+[>#]\s?` (the default) or `lab@r1[>#] ?`.
    public var promptPattern: String
    /// A pager prompt to answer with a space, e.g. ` --More-- ` or `---(more)---`.
    public var pagerPattern: String
    /// The prompt that asks for the enable secret.
    public var enableSecretPromptPattern: String
    /// The prompt of enable (privileged) mode.
    public var enabledPromptPattern: String
    /// The command that enters enable mode.
    public var enableCommand: String
    /// Commands run once after the first prompt, e.g. `["terminal length 0"]`.
    public var setupCommands: [String]
    /// Terminal type requested for the PTY.
    public var terminalType: String
    /// PTY width in columns (wide, so devices do not wrap long lines).
    public var columns: Int
    /// PTY height in rows.
    public var rows: Int
    /// What ends a command line: `"\n"` (default) or `"\r"`.
    public var lineEnding: String

    /// Makes shell options; the defaults suit Cisco IOS, NX-OS, Arista EOS and JunOS.
    public init(
        promptPattern: String = #"[\w.@()/:-]+[>#%$] ?"#,
        pagerPattern: String = #"[ \t]*(--[ ]?More[ ]?--|---\(more[^)]*\)---|<--- More --->)[ \t]*"#,
        enableSecretPromptPattern: String = #"[Pp]assword: ?"#,
        enabledPromptPattern: String = #"[\w.@()/:-]+# ?"#,
        enableCommand: String = "enable",
        setupCommands: [String] = [],
        terminalType: String = "vt100", columns: Int = 511, rows: Int = 24, lineEnding: String = "\n"
    ) {
        self.promptPattern = promptPattern
        self.pagerPattern = pagerPattern
        self.enableSecretPromptPattern = enableSecretPromptPattern
        self.enabledPromptPattern = enabledPromptPattern
        self.enableCommand = enableCommand
        self.setupCommands = setupCommands
        self.terminalType = terminalType
        self.columns = columns
        self.rows = rows
        self.lineEnding = lineEnding
    }
}
