import HavenCore
import Testing

@Suite("Small numbers: secondary suppression, so a withheld count cannot be found by subtraction")
struct SecondarySuppressionTests {
    let rule = SmallNumbers(threshold: 7)

    @Test("One small count alone: the smallest shown count beside it is withheld too")
    func oneSmall() {
        // 3 would be 40 - 20 - 9 - 8 if only it were withheld.
        #expect(rule.withheld([20, 3, 9, 8], groups: [[0, 1, 2, 3]]) == [1, 3])
    }

    @Test("Zeros stay shown, and are the complement only when no other count is left")
    func zeros() {
        #expect(rule.withheld([0, 5, 0, 30, 12], groups: [[0, 1, 2, 3, 4]]) == [1, 4])
        // 7 and 7 beside a total of 14 are both 7; a withheld zero leaves 14 split many ways.
        #expect(rule.withheld([7, 0, 7, 0], groups: [[0, 1, 2, 3]]) == [0, 1, 2])
        #expect(SmallNumbers(threshold: 1).withheld([1, 1, 0], groups: [[0, 1, 2]]) == [0, 1, 2])
    }

    @Test("Two small counts whose sum could be split many ways need nothing more")
    func twoSmall() {
        #expect(rule.withheld([3, 5, 40], groups: [[0, 1, 2]]) == [0, 1])
    }

    @Test("Two ones, or two counts at the threshold, are given away by their sum: a complement is withheld")
    func determinedSums() {
        #expect(rule.withheld([1, 1, 40, 30], groups: [[0, 1, 2, 3]]) == [0, 1, 3])
        #expect(rule.withheld([7, 7, 40, 30], groups: [[0, 1, 2, 3]]) == [0, 1, 3])
        #expect(rule.withheld([1, 2, 40, 30], groups: [[0, 1, 2, 3]]) == [0, 1])
    }

    @Test("A small total is withheld itself, so its counts need no complement")
    func smallTotal() {
        #expect(rule.withheld([2, 3, 0], groups: [[0, 1, 2]]) == [0, 1])
    }

    @Test("Overlapping groups: a complement chosen outside the known values still leaves one of them derivable, so another is withheld")
    func overlappingGroups() {
        // Values 0–2 are known (their total is given away by the shares), 3 is "not known".
        // Withholding 1 (small) and then 3 (smallest of all) protects the whole group but not the known ones.
        let withheld = rule.withheld([30, 4, 25, 10], groups: [[0, 1, 2, 3], [0, 1, 2]])
        #expect(withheld == [1, 2, 3])
        for group in [[0, 1, 2, 3], [0, 1, 2]] { #expect(group.filter(withheld.contains).count != 1) }
    }

    @Test("Nothing is withheld when nothing is hidden")
    func nothingHidden() {
        #expect(SmallNumbers.nothingHidden.withheld([1, 2, 40], groups: [[0, 1, 2]]).isEmpty)
        #expect(rule.withheld([10, 20, 0], groups: [[0, 1, 2]]).isEmpty)
    }

    @Test("Rows: each summed column protected on its own; patients that do not add up only lose their small values")
    func rows() {
        let rows: [[PublishedCounts.Count: Int]] = [
            [.episodes: 20, .restraints: 9, .patients: 3],
            [.episodes: 4, .restraints: 12, .patients: 10],
            [.episodes: 15, .restraints: 30, .patients: 12],
        ]
        let published = rule.published(rows: rows, summed: [.episodes, .restraints])
        #expect(published.map { $0.hides(.episodes) } == [false, true, true])
        #expect(published.map { $0.hides(.restraints) } == [false, false, false])
        #expect(published.map { $0.hides(.patients) } == [true, false, false])
        #expect(published[2].count(.episodes) == SmallNumbers.marker)
        #expect(published[2].shown(.restraints) == 30)
        #expect(published[2].derived("1.5", from: .restraints, .episodes) == SmallNumbers.marker)
        #expect(published[0].shown(2.5, from: .episodes) == 2.5)
    }

    @Test("A row without a count (a population never entered) takes no part in that column")
    func missingCounts() {
        let rows: [[PublishedCounts.Count: Int]] = [[.patients: 40], [:], [.patients: 5], [.patients: 60]]
        let published = rule.published(rows: rows, summed: [.patients])
        #expect(published.map { $0.hides(.patients) } == [true, false, true, false])
        #expect(published[1].shown(.patients) == nil)
    }
}
