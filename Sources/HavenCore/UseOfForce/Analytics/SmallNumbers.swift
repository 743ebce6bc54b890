import Foundation

/// Small-number suppression for figures that leave the organisation (the annual report, the anonymised export): a count
/// from 1 to the threshold is shown as "*", so that a patient cannot be picked out by a characteristic on a small unit
/// in one month. 0 is shown (nobody is identified by nobody), and so are counts above the threshold. The default is
/// NHS England's publication rule for mental health statistics (1 to 7 suppressed); REFERENCE.md says nothing more,
/// so the organisation may set another threshold from 1 to 20 on the use-of-force settings page.
///
/// A figure worked out from a suppressed count (a rate, a share, a ratio, minutes or hours of a few restraints) is
/// suppressed with it: a rate per 1,000 bed days beside the bed days gives the count back.
public struct SmallNumbers: Sendable, Equatable, Codable {
    public var threshold: Int

    public static let standard = SmallNumbers(threshold: 7)
    /// For readers inside the organisation (the analytics page): every count as it is.
    public static let nothingHidden = SmallNumbers(threshold: 0)
    public static let allowedThresholds = 1...20
    public static let marker = "*"

    public init(threshold: Int) { self.threshold = threshold }

    /// Whether a count is hidden.
    public func hides(_ count: Int) -> Bool { count >= 1 && count <= threshold }

    /// The count as published: "*" when hidden.
    public func count(_ count: Int) -> String { hides(count) ? Self.marker : String(count) }

    /// A figure derived from `basis` (formatted by the caller), hidden when its basis is.
    public func derived(_ text: String, from basis: Int) -> String { hides(basis) ? Self.marker : text }

    /// For the API, which leaves a withheld figure out: the count, or nil when hidden.
    public func shown(_ count: Int) -> Int? { hides(count) ? nil : count }

    /// For the API: a figure derived from `basis`, or nil when its basis is hidden.
    public func shown<Figure>(_ figure: Figure?, from basis: Int) -> Figure? { hides(basis) ? nil : figure }

    /// What a page or a file says about it, in words.
    public var explanation: String {
        "Counts from 1 to \(threshold) are shown as \(Self.marker), and so are figures worked out from them, so that nobody can be identified from a small number."
    }

    public func problems() -> FieldErrors {
        var errors = FieldErrors()
        if !Self.allowedThresholds.contains(threshold) {
            errors.add("suppressionThreshold", "Enter a whole number from \(Self.allowedThresholds.lowerBound) to \(Self.allowedThresholds.upperBound)")
        }
        return errors
    }
}
