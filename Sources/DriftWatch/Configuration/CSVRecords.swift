/// A minimal RFC 4180 reader for inventory CSV files: fields separated by commas, optionally
/// quoted with `"` (a quoted field may hold commas, newlines and `""` for one quote), records
/// separated by LF or CRLF. Lines starting with `#` (outside a quoted field) and blank lines are
/// skipped. Each record keeps the 1-based line it starts on.
struct CSVRecords {
    /// One record.
    struct Record {
        /// The line the record starts on.
        var line: Int
        /// The fields, unquoted.
        var fields: [String]
    }

    /// A syntax error: what and where.
    struct SyntaxError: Error {
        var line: Int
        var message: String
    }

    /// Splits `text` into records.
    static func parse(_ text: String) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var line = 1
        var recordLine = 1
        var inQuotes = false
        var quotedField = false  // the current field was quoted (and its closing quote seen)
        var fieldStarted = false
        var skippingComment = false
        let characters = Array(text.unicodeScalars)
        var index = 0

        func endRecord() {
            fields.append(field)
            let blank = fields.count == 1 && fields[0].allSatisfy { $0 == " " || $0 == "\t" } && !quotedField
            if !blank { records.append(Record(line: recordLine, fields: fields)) }
            fields = []
            field = ""
            quotedField = false
            fieldStarted = false
        }

        while index < characters.count {
            let character = characters[index]
            index += 1
            if skippingComment {
                if character == "\n" {
                    skippingComment = false
                    line += 1
                    recordLine = line
                }
                continue
            }
            if inQuotes {
                if character == "\"" {
                    if index < characters.count, characters[index] == "\"" {
                        field.unicodeScalars.append("\"")
                        index += 1
                    } else {
                        inQuotes = false
                        quotedField = true
                    }
                } else {
                    if character == "\n" { line += 1 }
                    field.unicodeScalars.append(character)
                }
                continue
            }
            switch character {
            case "#" where fields.isEmpty && !fieldStarted:
                skippingComment = true
            case ",":
                fields.append(field)
                field = ""
                quotedField = false
                fieldStarted = true
            case "\r" where index < characters.count && characters[index] == "\n":
                continue
            case "\n":
                endRecord()
                line += 1
                recordLine = line
            case "\"":
                guard field.allSatisfy({ $0 == " " || $0 == "\t" }), !quotedField else {
                    throw SyntaxError(
                        line: line,
                        message:
                            "a quote inside an unquoted field: quote the whole field (\"…\") and double the quotes inside it")
                }
                field = ""
                inQuotes = true
                fieldStarted = true
            default:
                if quotedField, character != " ", character != "\t" {
                    throw SyntaxError(
                        line: line,
                        message: "text after the closing quote of a field: put a comma after the closing quote")
                }
                if !quotedField { field.unicodeScalars.append(character) }
                if character != " ", character != "\t" { fieldStarted = true }
            }
        }
        if inQuotes {
            throw SyntaxError(line: recordLine, message: "a quoted field is not closed before the end of the file")
        }
        if !skippingComment, !(fields.isEmpty && field.isEmpty && !quotedField) { endRecord() }
        return records
    }
}
