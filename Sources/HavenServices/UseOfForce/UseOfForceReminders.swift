import Foundation
import HavenCore
import HavenData

/// Timed reminders for what must follow a use of force (issue 5): a debrief not recorded by its due time, and a set of
/// observations after rapid tranquillisation more than five minutes late. A recurring durable timer sweeps every five
/// minutes, as the incident review reminders do; each overdue item is reminded once, in-app, to the person who
/// recorded the use of force and the unit's managers (who run debriefs), or the restrictive-practice leads when the
/// unit has no manager. The message says what is owed and where, never who the patient is.
extension UseOfForceRecords {
    public static let reminderKind = "use-of-force-reminders"
    /// Observations are due every 15 minutes in the first hour, so the sweep looks more often than that.
    public static let reminderInterval: TimeInterval = 5 * 60

    /// Sends the organisation's reminders now due; returns how many items were reminded.
    @discardableResult
    public func remindOverdueFollowUps(organisationId: String) async throws -> Int {
        guard let organisation = try await organisations.organisation(id: organisationId) else { return 0 }
        let now = clock.now()
        // Who may be told is read before the claim, so the write that claims and stages stays short.
        let people = try await users.list(organisationId: organisationId, scope: .all).filter(\.active)
        let names = Dictionary(try await organisations.units(organisationId: organisationId).map { ($0.id, $0.name) }) { first, _ in first }
        let timeZone = TimeZone(identifier: organisation.timeZone) ?? .gmt
        let claimed = try await UseOfForceReminderStore(database: store.database, clock: clock).claim(organisationId: organisationId) { [notifier] db, due in
            for item in due {
                let message = Self.reminderMessage(item, unitName: names[item.unitId] ?? "the unit", timeZone: timeZone)
                for user in Self.reminderRecipients(item, among: people) {
                    try await notifier.stage(on: db, to: Contact(id: user.id, organisationId: user.organisationId, email: user.email, name: user.name),
                                             channels: [.inApp], message, now: now)
                }
            }
        }
        return claimed.count
    }

    /// The recorder and the unit's managers; the restrictive-practice leads when the unit has no manager.
    public static func reminderRecipients(_ item: OverdueFollowUp, among users: [User]) -> [User] {
        let managers = users.filter { $0.roles.contains(.manager) && $0.unitIds.contains(item.unitId) }
        let chosen = managers.isEmpty ? users.filter { $0.roles.contains(.restrictivePracticeLead) } : managers
        let recorder = users.filter { $0.id == item.recordedBy && !chosen.contains($0) }
        return recorder + chosen
    }

    static func reminderMessage(_ item: OverdueFollowUp, unitName: String, timeZone: TimeZone) -> Notifier.Message {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_GB")
        formatter.timeZone = timeZone
        formatter.dateFormat = "d MMMM yyyy 'at' HH:mm"
        let due = formatter.string(from: item.dueAt)
        let (title, body): (String, String) = switch item.kind {
        case .debrief(let kind):
            ("\(kind.label) overdue",
             "The \(kind.label.lowercased()) after a use of force on \(unitName) was due \(due) and has not been recorded. Hold it, then record it on the record.")
        case .observations(let seq):
            ("Observations after rapid tranquillisation overdue",
             "Set \(seq + 1) of the observations after rapid tranquillisation on \(unitName) was due \(due) and has not been recorded. Check the patient now.")
        }
        return Notifier.Message(title: title, body: body, link: "/use-of-force/\(item.episodeId)", event: .useOfForceAlert)
    }
}
