from django import template

from tahub.reports.documents import display

register = template.Library()


@register.inclusion_tag("reports/_cells.html")
def figure_cells(table, row):
    """The row's figures as table cells: a link to the records behind each, a dash when withheld."""
    cells = []
    for column in table.columns:
        cell = row.cells[column.key]
        cells.append({"key": column.key, "text": display(cell, column), "link": cell.link, "withheld": cell.suppressed,
                      "value": "" if cell.value is None else cell.value})
    return {"cells": cells, "table": table, "row": row}
