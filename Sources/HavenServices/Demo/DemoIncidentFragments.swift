import HavenCore

/// The words demo incidents are made of: what happened (by type), what led to it, what staff did and how it
/// ended (by harm). Composed at random, they give descriptions varied enough for full-text search to find
/// real words and for lists to look like a ward's.
enum DemoIncidentFragments {
    static func acts(_ type: IncidentType) -> [String] {
        switch type {
        case .verbalAbuse: [
            "shouted abuse at staff", "swore repeatedly at the nurse in charge", "made derogatory comments about a staff member's appearance",
            "called staff names and refused to calm down", "screamed insults during the medication round", "was verbally aggressive towards the receptionist",
            "shouted and swore at a healthcare assistant", "became loud and abusive when spoken to",
        ]
        case .physicalAssault: [
            "punched a staff member in the face", "kicked a healthcare assistant in the leg", "pushed a nurse against the wall",
            "scratched a staff member's arm", "bit a staff member on the hand", "grabbed a nurse by the hair",
            "threw a chair which hit a staff member", "headbutted a support worker", "slapped a student nurse",
        ]
        case .attemptedAssault: [
            "swung a punch at a nurse but missed", "lunged at a staff member", "tried to kick staff during personal care",
            "threw a cup at staff which missed", "raised a fist at a doctor and was stopped by colleagues", "tried to grab a staff member's lanyard",
        ]
        case .threat: [
            "threatened to kill a staff member", "threatened to find out where staff live", "said they would come back with a knife",
            "threatened to harm staff after discharge", "threatened to wait for staff in the car park", "made threats towards the night staff",
        ]
        case .sexualHarassmentOrAssault: [
            "made sexual comments to a student nurse", "touched a staff member inappropriately", "exposed themselves to staff",
            "repeatedly asked a staff member for sexual favours", "made unwanted sexual gestures towards a healthcare assistant",
        ]
        case .hateAbuse: [
            "used racist language towards a nurse", "made homophobic remarks to a staff member", "made religiously abusive comments to staff",
            "mocked a staff member's accent and nationality", "made abusive comments about a colleague's disability",
        ]
        case .onlineOrWrittenAbuse: [
            "posted abusive comments about named staff on social media", "sent threatening letters to the ward",
            "left abusive voicemails for the team", "sent repeated abusive emails to a staff member", "wrote offensive graffiti about staff",
        ]
        case .damageToProperty: [
            "smashed a window in the day room", "kicked a door off its hinges", "threw a television on the floor",
            "damaged a staff member's car in the car park", "broke a chair and a computer screen", "ripped a fire extinguisher off the wall",
        ]
        case .other: [
            "followed a staff member to the car park", "spat at staff", "barricaded themselves in an office",
            "refused to leave and blocked the exit", "made repeated nuisance phone calls to the team",
        ]
        }
    }

    static let triggers = [
        "after being told their leave was cancelled", "while waiting to be seen", "during the evening medication round",
        "when asked to turn the music down", "after a phone call with family", "when staff declined a request for cigarettes",
        "following a long wait", "during visiting time", "while intoxicated", "after being told about a delay",
        "during personal care", "at handover", "when a request to go outside was refused", "after an argument with another patient",
        "on being told the outcome of a tribunal", "during a home visit", "",
    ]

    static let responses = [
        "Staff used verbal de-escalation.", "The team gave the person space and observed from a distance.",
        "Security were called and attended.", "Police were called and attended.", "PRN medication was offered and accepted.",
        "The person was asked to leave the premises.", "The staff member withdrew and called for help.",
        "A brief restraint was needed to keep everyone safe.", "Other patients were moved to a quiet area.",
        "The alarm was raised and colleagues responded quickly.", "The visit was ended early and the worker left safely.",
    ]

    static func outcomes(_ harm: Harm) -> [String] {
        switch harm {
        case .none: ["No one was hurt.", "No injuries; the staff member was shaken.", "No physical harm."]
        case .minor: ["The staff member had a small bruise.", "Minor scratch, no treatment needed.", "Redness to the arm, no treatment needed."]
        case .firstAid: ["First aid was given on the ward.", "An ice pack was applied and first aid given.", "The bite was cleaned and dressed."]
        case .medicalTreatment: ["The staff member attended the emergency department for an X-ray.", "The staff member was seen by occupational health and their GP."]
        case .timeOffWork: ["The staff member went home and was off work for several days.", "The staff member is off work following the incident."]
        }
    }

    static let followUps = [
        "Debrief held with the team.", "Care plan reviewed.", "Discussed at the safety huddle.", "Behaviour agreement to be discussed.",
        "Risk assessment updated.", "Welfare check offered.", "", "", "",
    ]

    /// "What we did", for closed reports.
    static let closingOutcomes = [
        "Reviewed with the team; care plan and risk assessment updated.", "Debrief held; staff member supported by occupational health.",
        "Behaviour agreement put in place and reviewed after a month.", "Police informed; crime reference recorded; no further action by us.",
        "Environmental changes made to the area; lessons shared at the ward meeting.", "Reviewed; no further action needed.",
    ]

    /// Who did it, as the description says it, by unit kind.
    static func subject(_ perpetrator: Perpetrator, _ kind: UnitKind) -> [String] {
        switch perpetrator {
        case .patientOrServiceUser:
            switch kind {
            case .careHome: ["A resident", "The resident"]
            case .communityTeam, .domiciliaryCare: ["The client", "The service user", "A service user"]
            default: ["A patient", "The patient"]
            }
        case .relativeOrVisitor: ["A visitor", "A relative of a patient", "A patient's partner"]
        case .memberOfThePublic: ["A member of the public", "A man in the waiting area", "A passer-by"]
        case .colleague: ["A colleague", "A member of staff from another team"]
        case .manager: ["A senior manager"]
        case .personalAcquaintance: ["The staff member's former partner", "A relative of the staff member"]
        }
    }

    /// Where it happened, by unit kind.
    static func areas(_ kind: UnitKind) -> [String] {
        switch kind {
        case .emergencyDepartment: ["Waiting room", "Triage", "Majors cubicle", "Resus", "Reception", "Corridor", "Ambulance bay"]
        case .communityTeam: ["Clinic room", "Reception", "Client's home", "Car park", "Interview room"]
        case .domiciliaryCare: ["Client's home", "Doorstep", "Street outside the client's home", "Client's kitchen"]
        case .careHome: ["Lounge", "Bedroom", "Dining room", "Corridor", "Garden"]
        default: ["Day room", "Corridor", "Bedroom", "Nursing station", "Dining room", "Garden", "Seclusion room", "Clinic room"]
        }
    }
}
