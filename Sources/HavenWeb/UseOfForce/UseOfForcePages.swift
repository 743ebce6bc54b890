import Foundation
import HavenCore
import HavenData

/// A label and its value, for a summary list.
struct SummaryLine: Sendable {
    var label: String
    var value: String
}

/// The list page: filters, one page of records, flags for those waiting for senior review.
struct UseOfForceListPage: Sendable {
    struct Row: Sendable {
        var href: String
        var started: String
        var unit: String
        var types: String
        var duration: String
        var alerts: String?
        var review: String
    }
    var rows: [Row]
    var hasRows: Bool
    var canRecord: Bool
    var canManageSettings: Bool
    var canSeePlans: Bool
    var newHref: String
    var errors: ErrorSummary
    var units: [Choice]
    var from: FormField
    var to: FormField
    var waitingOnly: Bool
    var overdueDebriefsOnly: Bool
    var showing: String
    var previousHref: String?
    var nextHref: String?
    var pager: Bool
    /// Downloads with the list's unit and dates, for those who see the records; the analytics for those who may.
    var downloads: [UseOfForceAnalyticsPage.ExportLink] = []
    var hasDownloads = false
    var analyticsHref: String?
}

/// One record: every statutory item in words, its alerts and review, and what the reader may do next.
struct UseOfForcePage: Sendable {
    var id: String
    var alerts: [String]
    var hasAlerts: Bool
    var lines: [SummaryLine]
    var interventions: [[SummaryLine]]
    var staff: [String]
    var patient: [SummaryLine]
    var incidentHref: String?
    var editHref: String?
    var review: [SummaryLine]
    var reviewed: Bool
    var canReview: Bool
    var reviewAction: String
    var reviewNote: FormField
    var errors: ErrorSummary
    var csrfToken: String
    var debriefs: [DebriefPanel] = []
    /// Repeated interventions and no current behaviour support plan.
    var warning: String?
    /// After rapid tranquillisation: the schedule of observations.
    var observations: ObservationPanel?
    /// The s9 investigation of a death or serious injury, for those who may read it.
    var investigation: InvestigationSummary?

    static func duration(_ seconds: Int) -> String {
        if seconds < 60 { return "\(seconds) seconds" }
        let minutes = seconds / 60
        if minutes < 120 { return "\(minutes) minute\(minutes == 1 ? "" : "s")" }
        return "\(minutes / 60) hours \(minutes % 60) minutes"
    }

    init(_ stored: StoredUseOfForce, identity: Identity, unitName: String, names: [String: String],
         errors: FieldErrors, typedNote: String?, csrfToken: String) {
        self.csrfToken = csrfToken
        let episode = stored.episode, patient = episode.patient, organisation = identity.organisation
        let when = { (date: Date) in DisplayDate.dateTime(date, organisation) }
        id = episode.id
        alerts = UseOfForceRules.alerts(for: episode).map(\.message)
        hasAlerts = !alerts.isEmpty
        lines = [
            SummaryLine(label: "Unit", value: unitName),
            SummaryLine(label: "(b) Place", value: episode.place),
            SummaryLine(label: "(b) Date", value: when(episode.startedAt)),
            SummaryLine(label: "(b) Duration", value: Self.duration(episode.durationSeconds)),
            SummaryLine(label: "(a) Reason", value: episode.reason),
            SummaryLine(label: "(o) Efforts to avoid force", value: episode.effortsToAvoid),
            SummaryLine(label: "(f) How force was used", value: episode.description),
            SummaryLine(label: "(m) Outcome", value: episode.outcome),
            SummaryLine(label: "(n) Death or serious injury", value: episode.harm == .noHarm ? "Neither" : episode.harm == .death ? "Death" : "Serious injury"),
            SummaryLine(label: "(i) People other than staff", value: episode.nonStaffInvolvement ?? "None"),
            SummaryLine(label: "Police body cameras (s12)", value: episode.police.bodyCameras?.label ?? "Not recorded"),
            SummaryLine(label: "(p) Care plan contacts told", value: ["yes": "Yes", "no": "No", "no-one-named": "The care plan names no one"][episode.carePlanContactsNotified.rawValue] ?? ""),
            SummaryLine(label: "Recorded", value: when(episode.recordedAt) + " by " + (names[episode.recordedBy] ?? "a former member of staff")),
        ] + (episode.proneJustification.map { [SummaryLine(label: "Why prone, and when released", value: $0)] } ?? [])
            + [episode.police.force.map { SummaryLine(label: "Police force", value: $0) },
               episode.police.bodyCameraReason.map { SummaryLine(label: "Why the cameras were not on throughout", value: $0) },
               episode.police.footageReference.map { SummaryLine(label: "Footage reference", value: $0) }].compactMap { $0 }
        interventions = episode.interventions.map { item in
            [SummaryLine(label: "(c) Type", value: "\(item.type.code) \(item.type.label)" + (item.position.map { " (\($0))" } ?? "")),
             SummaryLine(label: "From", value: when(item.startedAt)), SummaryLine(label: "To", value: when(item.endedAt)),
             SummaryLine(label: "Duration", value: Self.duration(item.durationSeconds)),
             SummaryLine(label: "(d) In the care plan", value: item.plannedInCarePlan ? "Yes" : "No"),
             SummaryLine(label: "Pain-based technique", value: item.painBased ? "Yes" : "No")]
        }
        staff = episode.staff.map { "\($0.name), \($0.jobTitle)" }
        let seesIdentity = UseOfForceAccess.canSeeIdentity(unitId: episode.unitId, identity.actor)
        var patientLines = [SummaryLine(label: "Local identifier", value: patient.localIdentifier)]
        if seesIdentity {
            patientLines.append(SummaryLine(label: "(e) Name", value: patient.name ?? "Not known"))
            patientLines.append(SummaryLine(label: "(g) NHS number", value: patient.nhsNumber ?? "Not known"))
        } else {
            patientLines.append(SummaryLine(label: "(e), (g) Name and NHS number", value: "Recorded; shown to the unit's managers and the leads"))
        }
        patientLines += [
            SummaryLine(label: "(j) Mental disorder", value: patient.mentalDisorder ?? "Not known"),
            SummaryLine(label: "Detained", value: patient.detained ? "Yes" + (patient.detentionSection.map { ", section \($0)" } ?? "") : "No"),
            SummaryLine(label: "(l) Learning disability or autism", value: ["yes": "Yes", "no": "No", "not-known": "Not known"][patient.learningDisabilityOrAutism.rawValue] ?? ""),
        ]
        if patient.characteristicsDeclined {
            patientLines.append(SummaryLine(label: "(k) Relevant characteristics", value: "The patient declined to say"))
        } else {
            for characteristic in ProtectedCharacteristic.allCases where patient.characteristics[characteristic] != ProtectedCharacteristic.notKnown {
                patientLines.append(SummaryLine(label: "(k) " + characteristic.label, value: characteristic.label(of: patient.characteristics[characteristic])))
            }
            if !patient.characteristics.anyRecorded { patientLines.append(SummaryLine(label: "(k) Relevant characteristics", value: "Not known")) }
        }
        if let note = patient.characteristicsNote { patientLines.append(SummaryLine(label: "Also relevant", value: note)) }
        self.patient = patientLines
        incidentHref = episode.incidentId.map { IncidentRoute.incident(id: $0).path }
        editHref = UseOfForceAccess.canCorrect(unitId: episode.unitId, recordedBy: episode.recordedBy, identity.actor)
            ? UseOfForceRoute.edit(episode.id).path : nil
        reviewed = stored.reviewedAt != nil
        review = stored.reviewedAt.map { at in
            [SummaryLine(label: "Reviewed", value: when(at) + " by " + (stored.reviewedBy.flatMap { names[$0] } ?? "a former member of staff")),
             SummaryLine(label: "Review", value: stored.reviewNote ?? "")]
        } ?? []
        canReview = !reviewed && UseOfForceAccess.canReview(unitId: episode.unitId, identity.actor)
        reviewAction = UseOfForceRoute.review(episode.id).path
        reviewNote = FormField("note", "What the review found and what happens next", value: typedNote ?? "", type: "text", errors: errors)
        self.errors = ErrorSummary(errors)
    }
}

/// One debrief on the record page: when it is due, whether it is overdue (in words), what was said, or the form.
struct DebriefPanel: Sendable {
    var kind: String
    var held: Bool
    var title: String
    var status: String
    var overdue: Bool
    var lines: [SummaryLine]
    var canRecord: Bool
    var action: String
    var isPatient: Bool
    var heldDate: FormField
    var heldTime: FormField
    var attendees: FormField
    var notes: FormField
    var account: FormField
    var declined: Bool
    var declinedId: String

    init(_ debrief: Debrief, episodeId: String, organisation: Organisation, names: [String: String], canRecord: Bool, now: Date,
         errors: FieldErrors, typed: FormInput?) {
        let when = { (date: Date) in DisplayDate.dateTime(date, organisation) }
        let prefix = debrief.kind.rawValue + "-"
        kind = debrief.kind.rawValue
        held = debrief.heldAt != nil
        title = debrief.kind.label
        overdue = debrief.isOverdue(now: now)
        status = debrief.heldAt.map { "Held " + when($0) } ?? (overdue ? "Overdue: it was due by " : "Due by ") + when(debrief.dueAt)
        lines = debrief.heldAt == nil ? [] : [
            SummaryLine(label: "Recorded by", value: debrief.recordedBy.flatMap { names[$0] } ?? "a former member of staff"),
            SummaryLine(label: "Who took part", value: debrief.attendees ?? "Not recorded"),
        ] + (debrief.patientDeclined ? [SummaryLine(label: "The patient", value: "Declined a debrief")] : [])
          + (debrief.patientAccount.map { [SummaryLine(label: "The patient's own account", value: $0)] } ?? [])
          + (debrief.notes.map { [SummaryLine(label: "Discussed and learned", value: $0)] } ?? [])
        self.canRecord = canRecord && debrief.heldAt == nil
        action = "/use-of-force/\(episodeId)/debriefs/\(debrief.kind.rawValue)"
        isPatient = debrief.kind == .patient
        let errors = errors.items.contains { $0.field.hasPrefix(prefix) } ? errors : FieldErrors()
        func field(_ name: String, _ label: String, type: String = "text", hint: String? = nil, required: Bool = true) -> FormField {
            var field = FormField(prefix + name, label, value: typed?[name] ?? "", hint: hint, type: type, required: required, errors: errors)
            field.formName = name
            return field
        }
        heldDate = field("heldDate", "Date held", type: "date")
        heldTime = field("heldTime", "Time held", type: "time", hint: "24-hour clock, for example 09:30")
        if let error = errors[prefix + "heldAt"] { heldDate.error = error }
        attendees = field("attendees", "Who took part", required: false)
        notes = field("notes", debrief.kind == .staff ? "What was discussed and learned" : "What was discussed and agreed",
                      required: debrief.kind == .staff)
        account = field("patientAccount", "The patient's own account, in their words", hint: "Leave blank only if the patient declined")
        declined = typed?["patientDeclined"] != nil
        declinedId = prefix + "patientDeclined"
    }
}
