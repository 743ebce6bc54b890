import HavenCore

/// Field errors moved to the names of a page's controls, where the record's field names and the form's differ.
extension FieldErrors {
    /// Each field name prefixed, where several small forms share one page (`staff-notes`, `patient-notes`).
    func prefixed(_ prefix: String) -> FieldErrors {
        var copy = FieldErrors()
        for item in items { copy.add(prefix + item.field, item.message) }
        return copy
    }

    /// One field's error under another name (the record's `startedAt` is the form's `date`).
    func renamed(_ field: String, _ name: String) -> FieldErrors {
        var copy = FieldErrors()
        for item in items { copy.add(item.field == field ? name : item.field, item.message) }
        return copy
    }
}
