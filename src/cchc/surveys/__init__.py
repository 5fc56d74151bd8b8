"""SIPAS satisfaction surveys (Chỉ số hài lòng về sự phục vụ hành chính): docs/surveys.md."""
