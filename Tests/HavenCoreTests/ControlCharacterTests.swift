import HavenCore
import Testing

@Suite("Validation: control characters")
struct ControlCharacterTests {
    @Test("isControl is exactly Unicode's general category Cc, over every scalar")
    func sameAsUnicode() {
        for value in UInt32(0)...0x10FFFF {
            guard let scalar = Unicode.Scalar(value) else { continue }
            if Validate.isControl(scalar) != (scalar.properties.generalCategory == .control) {
                Issue.record("U+\(String(value, radix: 16)) differs"); return
            }
        }
    }
}
