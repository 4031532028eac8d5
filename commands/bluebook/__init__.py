"""The dated Blå Bog edition in its output formats: pure functions from the edition's data
(the JSON contract of `kkr bluebook`) to a terminal table, CSV, XLSX and a printable HTML page.

Each format is its own module (`as_table`, `as_csv`, `as_xlsx`, `as_html`) and is imported on
its own, so a command pays for openpyxl or Jinja2 only when that format is asked for. No
renderer prints a field it does not name: a leave's reason never reaches an output, even if
the data were to carry one (docs: privacy)."""
