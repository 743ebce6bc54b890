import Foundation

/// One row of a published table of use-of-force figures (a characteristic value, a month, a unit, the totals) with
/// its small numbers withheld: the counts from 1 to the threshold, and the counts withheld beside them so that a small
/// one cannot be worked out by taking the rest of its column from a total shown on the same page (secondary
/// suppression, `SmallNumbers.withheld(_:groups:)`). A figure worked out from a withheld count is withheld with it.
public struct PublishedCounts: Sendable, Equatable {
    /// The counts a published row shows.
    public enum Count: String, CaseIterable, Sendable {
        case episodes, restraints, prone, proneTenMinutes, seclusions, segregations, mechanical, chemical, rapidTranquillisation
        case painBased, seriousInjuries, deaths, negligibleUses, patients
        /// Restraints in months with bed days entered: a rate per 1,000 bed days beside its bed days gives it back.
        case ratedRestraints
    }

    public private(set) var values: [Count: Int]
    public internal(set) var withheld: Set<Count>

    public init(values: [Count: Int], withheld: Set<Count>) {
        self.values = values
        self.withheld = withheld
    }

    /// A row's counts from its sums; the others where the row has them.
    public static func counts(of m: UseOfForceMeasures, negligibleUses: Int? = nil, patients: Int? = nil, ratedRestraints: Int? = nil) -> [Count: Int] {
        var counts: [Count: Int] = [.episodes: m.episodes, .restraints: m.restraints, .prone: m.prone, .proneTenMinutes: m.proneTenMinutes,
                                    .seclusions: m.seclusions, .segregations: m.segregations, .mechanical: m.mechanical, .chemical: m.chemical,
                                    .rapidTranquillisation: m.rapidTranquillisation, .painBased: m.painBased,
                                    .seriousInjuries: m.seriousInjuries, .deaths: m.deaths]
        counts[.negligibleUses] = negligibleUses
        counts[.patients] = patients
        counts[.ratedRestraints] = ratedRestraints
        return counts
    }

    public func hides(_ count: Count) -> Bool { withheld.contains(count) }

    /// The count as published: "*" when withheld.
    public func count(_ count: Count) -> String { hides(count) ? SmallNumbers.marker : String(values[count] ?? 0) }

    /// For the API, which leaves a withheld figure out.
    public func shown(_ count: Count) -> Int? { hides(count) ? nil : values[count] }

    /// A figure worked out from `basis` (formatted by the caller): "*" when its basis is withheld.
    public func derived(_ text: String, from basis: Count...) -> String { basis.contains(where: hides) ? SmallNumbers.marker : text }

    /// For the API: a figure worked out from `basis`, or nil when its basis is withheld.
    public func shown<Figure>(_ figure: Figure?, from basis: Count...) -> Figure? { basis.contains(where: hides) ? nil : figure }
}

extension SmallNumbers {
    /// The line of totals of a range, a unit or a month, published on its own.
    public func published(_ figures: UseOfForceFigures, patients: PatientCount) -> PublishedCounts {
        published(Self.counts(figures, patients))
    }

    /// Rows of figures that add up to totals shown with them (the months of a range, its units, its unit-months with
    /// `groups` by unit and by month). Different patients do not add up over months or units: only their small values go.
    public func published(_ rows: [(figures: UseOfForceFigures, patients: PatientCount)], groups: [[Int]]? = nil) -> [PublishedCounts] {
        published(rows: rows.map { Self.counts($0.figures, $0.patients) }, summed: Set(PublishedCounts.Count.allCases).subtracting([.patients]),
                  groups: groups)
    }

    /// A characteristic's values: the counts of force add up over all its values (to the totals shown) and over its
    /// known values, whose total the shares give away; the patients entered only over the known values (their share
    /// gives that total away; the population as a whole is not shown).
    public func published(_ characteristic: CharacteristicFigures) -> [PublishedCounts] {
        let values = characteristic.values
        let known = values.indices.filter { values[$0].isKnown }
        var groups = Dictionary(uniqueKeysWithValues: PublishedCounts.Count.allCases.map { ($0, [Array(values.indices), known]) })
        groups[.patients] = [known]
        return published(rows: values.map { PublishedCounts.counts(of: $0.measures, patients: $0.patients) }, groups: groups)
    }

    static func counts(_ figures: UseOfForceFigures, _ patients: PatientCount) -> [PublishedCounts.Count: Int] {
        PublishedCounts.counts(of: figures.measures, negligibleUses: figures.negligibleUses, patients: patients.patients,
                               ratedRestraints: figures.restraintsInMonthsWithBedDays)
    }

    /// A row published on its own (a line of totals): its small counts withheld.
    public func published(_ counts: [PublishedCounts.Count: Int]) -> PublishedCounts {
        PublishedCounts(values: counts, withheld: Set(counts.filter { hides($0.value) }.keys))
    }

    /// Rows whose counts add up to totals shown with them (a characteristic's values, a year's months, the units):
    /// each column of the `summed` counts is protected by `withheld(_:groups:)`; other counts (different patients,
    /// which do not add up across months) only lose their small values. `groups` lists the rows whose sum is shown or
    /// can be worked out; nil means all the rows together.
    public func published(rows: [[PublishedCounts.Count: Int]], summed: Set<PublishedCounts.Count>, groups: [[Int]]? = nil) -> [PublishedCounts] {
        let groups = groups ?? [Array(rows.indices)]
        return published(rows: rows, groups: Dictionary(uniqueKeysWithValues: summed.map { ($0, groups) }))
    }

    /// The same with each count's own groups (a count not named only loses its small values).
    public func published(rows: [[PublishedCounts.Count: Int]], groups: [PublishedCounts.Count: [[Int]]]) -> [PublishedCounts] {
        var published = rows.map(published)
        for (count, groups) in groups {
            let column = rows.map { $0[count] }
            // A row without this count (a population never entered) takes no part in its column.
            let present = column.indices.filter { column[$0] != nil }
            let withheld = withheld(present.map { column[$0]! }, groups: groups.map { group in group.compactMap { present.firstIndex(of: $0) } })
            for position in withheld { published[present[position]].withheld.insert(count) }
        }
        return published
    }

    /// Positions of `counts` to withhold when each group's sum is known to the reader: the small counts (primary
    /// suppression) and, in a group with a shown total where what is withheld could still be worked out (one count
    /// alone, or a sum that only one split explains: all ones, or all at the threshold), the smallest count still
    /// shown as well (secondary suppression). That count is above the threshold (or a zero, when no other is left),
    /// so its group is then safe; groups overlap (a characteristic's values, and its known values), so the rule runs
    /// until no group changes.
    public func withheld(_ counts: [Int], groups: [[Int]]) -> Set<Int> {
        var withheld = Set(counts.indices.filter { hides(counts[$0]) })
        guard !withheld.isEmpty else { return withheld }
        var changed = true
        while changed {
            changed = false
            for group in groups {
                let total = group.reduce(0) { $0 + counts[$1] }
                let hidden = group.filter(withheld.contains)
                guard !hidden.isEmpty, !hides(total) else { continue }
                let hiddenSum = hidden.reduce(0) { $0 + counts[$1] }
                let onlySmall = hidden.allSatisfy { hides(counts[$0]) }
                let determined = hidden.count == 1 || (onlySmall && (hiddenSum == hidden.count || hiddenSum == hidden.count * threshold))
                // The smallest count still shown; a zero only when nothing else is left, since a reader cannot tell
                // a withheld zero from a withheld count, but a withheld count protects more.
                let shown = group.filter { !withheld.contains($0) }
                guard determined,
                      let complement = shown.filter({ counts[$0] > 0 }).min(by: { counts[$0] < counts[$1] }) ?? shown.first
                else { continue }
                withheld.insert(complement)
                changed = true
            }
        }
        return withheld
    }
}
