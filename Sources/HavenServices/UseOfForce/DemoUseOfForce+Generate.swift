import Foundation
import HavenCore
import HavenData

extension DemoUseOfForce {
    /// Episodes per transaction, as for generated incidents: one fsync serves thousands of rows and the bar moves.
    public static let batchSize = 5_000

    /// Adds `count` generated episodes on the organisation's inpatient mental health units (the Act's mental health
    /// units; the first is three times as busy), a committed batch at a time, with one audit entry in the last batch's
    /// transaction. Months of the history with no occupied bed days get them (90% of beds), and each unit gets a
    /// patient population per calendar year, so rates and ratios show from the start. Returns the number saved.
    @discardableResult
    public static func generate(_ environment: HavenEnvironment, organisation: Organisation, count: Int, seed: UInt64?,
                                progress: @Sendable (Int) -> Void = { _ in }) async throws -> Int {
        let all = try await environment.organisations.units(organisationId: organisation.id)
        let wards = all.filter { $0.kind == .mentalHealthWard } + all.filter { $0.kind == .inpatientWard }
        guard !wards.isEmpty else { throw DemoIncidentsError(description: "The organisation has no inpatient unit for use of force to be recorded on") }
        var recorders: [String: [String]] = [:]
        var everywhere: [String] = []
        for role in [Role.staff, .manager, .restrictivePracticeLead] {
            guard let stored = try await environment.users.find(email: DemoSeed.email(for: role)), stored.user.organisationId == organisation.id else { continue }
            if role == .restrictivePracticeLead { everywhere.append(stored.user.id) }
            for unitId in stored.user.unitIds { recorders[unitId, default: []].append(stored.user.id) }
        }
        guard !everywhere.isEmpty || !recorders.isEmpty else { throw DemoIncidentsError(description: "The organisation has no demo users to record use of force") }
        let store = environment.useOfForce.store
        let existing = try await store.count(organisationId: organisation.id)
        var mixer = SeededRandom(seed: (seed ?? UInt64.random(in: .min ... .max)) ^ UInt64(existing) &* 0x2545_F491_4F6C_DD1D)
        let now = environment.clock.now()
        var generator = DemoUseOfForce(organisationId: organisation.id,
                                       units: wards.map { Unit(id: $0.id, code: $0.code, recorderIds: (recorders[$0.id] ?? everywhere).sorted()) },
                                       now: now, seed: mixer.next())
        let timeZone = TimeZone(identifier: organisation.timeZone) ?? .gmt
        let origin = Origin(organisationId: organisation.id, actorId: nil, requestId: "demo-use-of-force")
        try await denominators(environment, organisation: organisation, wards: wards, now: now, timeZone: timeZone, origin: origin)
        var saved = 0
        while saved < count {
            let size = min(batchSize, count - saved)
            let batch = try generator.next(size, recordedAt: now)
            let last = saved + size == count
            try await store.insert(generated: batch, timeZone: timeZone, audit: last ? (origin, count, now) : nil)
            saved += size
            progress(saved)
        }
        return saved
    }

    /// Bed days for every month of the history that has none, and a population per unit and calendar year.
    static func denominators(_ environment: HavenEnvironment, organisation: Organisation, wards: [CareUnit], now: Date, timeZone: TimeZone,
                             origin: Origin) async throws {
        let last = CalendarMonth(now, in: timeZone)
        let first = CalendarMonth(now.addingTimeInterval(-Double(historyDays + 31) * 86_400), in: timeZone)
        let store = environment.useOfForce.store
        let entered = Set(try await store.populations(organisationId: organisation.id, unitIds: Set(wards.map(\.id))).map(\.unitId))
        for ward in wards {
            let known = Set(try await environment.organisations.activity(unitId: ward.id, organisationId: organisation.id).compactMap {
                $0.occupiedBedDays == nil ? nil : $0.month
            })
            let beds = ward.beds ?? 20
            for month in first.through(last) where !known.contains(month.description) {
                try await environment.organisations.record(UnitActivity(unitId: ward.id, month: month.description,
                                                                        occupiedBedDays: beds * 30 * 9 / 10, staffWTE: ward.staffWTE), origin: origin)
            }
            guard !entered.contains(ward.id) else { continue }
            for year in first.year...last.year {
                let from = max(first, CalendarMonth(year: year, month: 1)), to = min(last, CalendarMonth(year: year, month: 12))
                // A ward admits several patients per bed a year.
                let population = UseOfForcePopulation(unitId: ward.id, from: from, to: to, patients: population(total: beds * 6))
                _ = try await store.setPopulation(population, organisationId: organisation.id, origin: origin)
            }
        }
    }
}
