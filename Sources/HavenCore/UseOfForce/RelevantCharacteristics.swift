import Foundation

/// s6(5)(k) "relevant characteristics", read as the Equality Act 2010 protected characteristics (REFERENCE §2.3).
/// They are recorded as fixed choices, not free text, because the point of recording them is to find out whether
/// force falls more often on some groups (disproportionality), which needs values that can be counted.
public enum ProtectedCharacteristic: String, Sendable, Codable, CaseIterable {
    case ageBand, sex, genderReassignment, ethnicity, religion, sexualOrientation, disability, maritalStatus, pregnancy

    public var label: String {
        switch self {
        case .ageBand: "Age"
        case .sex: "Sex"
        case .genderReassignment: "Gender reassignment"
        case .ethnicity: "Ethnicity"
        case .religion: "Religion or belief"
        case .sexualOrientation: "Sexual orientation"
        case .disability: "Disability"
        case .maritalStatus: "Marriage or civil partnership"
        case .pregnancy: "Pregnancy or maternity"
        }
    }

    /// The choices, code and label. Every characteristic also takes `not-known` and `declined`.
    public var choices: [(code: String, label: String)] {
        switch self {
        case .ageBand:
            // The bands NHS Digital's restraint statistics use, so Haven's figures compare with national ones.
            [("under-18", "Under 18"), ("18-24", "18 to 24"), ("25-34", "25 to 34"), ("35-44", "35 to 44"),
             ("45-54", "45 to 54"), ("55-64", "55 to 64"), ("65-plus", "65 or over")]
        case .sex: [("female", "Female"), ("male", "Male"), ("indeterminate", "Indeterminate")]
        case .genderReassignment: [("yes", "Yes"), ("no", "No")]
        case .ethnicity: EthnicCategory.allCases.map { ($0.rawValue, $0.label) }
        case .religion:
            [("none", "No religion"), ("christian", "Christian"), ("buddhist", "Buddhist"), ("hindu", "Hindu"),
             ("jewish", "Jewish"), ("muslim", "Muslim"), ("sikh", "Sikh"), ("other", "Another religion or belief")]
        case .sexualOrientation:
            [("heterosexual", "Heterosexual"), ("gay-or-lesbian", "Gay or lesbian"), ("bisexual", "Bisexual"), ("other", "Another orientation")]
        case .disability: [("yes", "Yes"), ("no", "No")]
        case .maritalStatus: [("married-or-civil-partnership", "Married or in a civil partnership"), ("neither", "Neither")]
        case .pregnancy: [("pregnant", "Pregnant"), ("maternity", "Given birth in the last 26 weeks"), ("no", "No")]
        }
    }

    public static let notKnown = "not-known"
    public static let declined = "declined"

    public var validCodes: [String] { choices.map(\.code) + [Self.notKnown, Self.declined] }

    public func label(of code: String) -> String {
        if code == Self.notKnown { return "Not known" }
        if code == Self.declined { return "Declined to say" }
        return choices.first { $0.code == code }?.label ?? code
    }
}

/// The NHS Data Dictionary's ethnic category codes (the 2001 census groups), as MHSDS records them.
public enum EthnicCategory: String, Sendable, CaseIterable {
    case a = "A", b = "B", c = "C", d = "D", e = "E", f = "F", g = "G", h = "H", j = "J", k = "K", l = "L",
         m = "M", n = "N", p = "P", r = "R", s = "S"

    public var label: String {
        switch self {
        case .a: "White: British"
        case .b: "White: Irish"
        case .c: "White: any other White background"
        case .d: "Mixed: White and Black Caribbean"
        case .e: "Mixed: White and Black African"
        case .f: "Mixed: White and Asian"
        case .g: "Mixed: any other mixed background"
        case .h: "Asian or Asian British: Indian"
        case .j: "Asian or Asian British: Pakistani"
        case .k: "Asian or Asian British: Bangladeshi"
        case .l: "Asian or Asian British: any other Asian background"
        case .m: "Black or Black British: Caribbean"
        case .n: "Black or Black British: African"
        case .p: "Black or Black British: any other Black background"
        case .r: "Other: Chinese"
        case .s: "Other: any other ethnic group"
        }
    }

    /// The broad group national statistics report by.
    public var group: String {
        switch self {
        case .a, .b, .c: "White"
        case .d, .e, .f, .g: "Mixed"
        case .h, .j, .k, .l: "Asian or Asian British"
        case .m, .n, .p: "Black or Black British"
        case .r, .s: "Other ethnic group"
        }
    }
}

/// A patient's recorded characteristics: one code per characteristic, `not-known` where nothing was recorded.
public struct RelevantCharacteristics: Sendable, Equatable, Codable {
    public private(set) var values: [ProtectedCharacteristic: String]

    /// "Not known" is the absence of a value, so a record reads back equal to the one written.
    public init(_ values: [ProtectedCharacteristic: String] = [:]) {
        self.values = values.filter { $0.value != ProtectedCharacteristic.notKnown }
    }

    public subscript(_ characteristic: ProtectedCharacteristic) -> String {
        values[characteristic] ?? ProtectedCharacteristic.notKnown
    }

    /// Every characteristic with the same answer: all not known, or all declined by the patient.
    public static func all(_ code: String) -> RelevantCharacteristics {
        RelevantCharacteristics(Dictionary(uniqueKeysWithValues: ProtectedCharacteristic.allCases.map { ($0, code) }))
    }

    /// Whether anything other than "not known" was recorded.
    public var anyRecorded: Bool { values.values.contains { $0 != ProtectedCharacteristic.notKnown } }

    /// Reads submitted codes strictly: an unknown characteristic or value is an error naming `characteristics.<key>`.
    public static func parse(_ raw: [String: String], into errors: inout FieldErrors) -> RelevantCharacteristics {
        var values: [ProtectedCharacteristic: String] = [:]
        for key in raw.keys.sorted() {
            let value = raw[key]!.trimmingCharacters(in: .whitespaces)
            guard let characteristic = ProtectedCharacteristic(rawValue: key) else {
                errors.add("characteristics.\(key)", "s6(5)(k): \(key) is not a characteristic Haven records; use one of "
                           + ProtectedCharacteristic.allCases.map(\.rawValue).joined(separator: ", "))
                continue
            }
            if value.isEmpty { continue }
            guard characteristic.validCodes.contains(value) else {
                errors.add("characteristics.\(key)", "s6(5)(k) \(characteristic.label.lowercased()): \(value) is not one of "
                           + characteristic.validCodes.joined(separator: ", "))
                continue
            }
            values[characteristic] = value
        }
        return RelevantCharacteristics(values)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Dictionary(uniqueKeysWithValues: ProtectedCharacteristic.allCases.map { ($0.rawValue, self[$0]) }))
    }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode([String: String].self)
        var values: [ProtectedCharacteristic: String] = [:]
        for (key, value) in raw { if let characteristic = ProtectedCharacteristic(rawValue: key) { values[characteristic] = value } }
        self.init(values)
    }
}
