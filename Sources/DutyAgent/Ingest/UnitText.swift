import Foundation
import Shared

/// A unit path as written in the people file or a `[[schedule]] units` entry, made canonical:
/// Unicode NFC (a name typed as decomposed characters is the same unit as the composed one, as the
/// collector compares them), and refused when it holds control or invisible format characters
/// (NUL, line breaks, bidirectional overrides, zero-width spaces), which would make two units
/// that look the same.
enum UnitText {
    /// The NFC unit path of `text`, or a sentence naming the first character refused.
    static func path(_ text: String) -> Result<UnitPath, UnitTextError> {
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator:
                return .failure(UnitTextError(scalar: scalar))
            default:
                continue
            }
        }
        return .success(UnitPath(text.precomposedStringWithCanonicalMapping))
    }
}

/// A unit path holding a character no unit name may hold.
struct UnitTextError: Error, Equatable, CustomStringConvertible {
    var scalar: Unicode.Scalar

    var description: String {
        let code = "U+" + String(format: "%04X", scalar.value)
        return "holds the control or invisible character \(code); a unit name may hold only visible text"
    }
}
