"""Form pieces shared by the apps: date inputs, the two-level trees of kinds and themes, forms in
sections, and a service's errors put next to their fields."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"


def tree_choices(nodes, whole):
    """A two-level tree as grouped choices: a group per top-level node, which is a choice itself
    (labelled with ``whole``, ``%(name)s`` standing for its label), then its refinements."""
    children = {}
    for node in nodes:
        if node.parent_id is not None:
            children.setdefault(node.parent_id, []).append(node)
    return [
        (top.label, [(top.pk, whole % {"name": top.label}), *[(child.pk, child.label) for child in children.get(top.pk, [])]])
        for top in nodes
        if top.parent_id is None
    ]


class SectionedForm:
    """A form shown in parts (``SECTIONS``: key, legend, help, field names), whose tree fields
    (``TREES``, with ``tree_choices``) are shown as checkboxes grouped by top-level node."""

    SECTIONS = []
    TREES = ("kinds", "themes")

    def trees(self):
        """The checkboxes of each tree field by top-level group: ``{name: [(group label, [options])]}``."""
        trees = {}
        for name in self.TREES:
            options = iter(self[name].subwidgets)
            trees[name] = [(label, [next(options) for _choice in choices]) for label, choices in self.fields[name].choices]
        return trees

    def sections(self):
        """The parts of the page, each with its visible bound fields."""
        return [
            {
                "key": key, "legend": legend, "help": help_text,
                "fields": [self[name] for name in names if name in self.fields and not self[name].is_hidden],
            }
            for key, legend, help_text, names in self.SECTIONS
        ]

    def add_service_errors(self, error):
        """Put a service's ValidationError next to the fields it names (the rest above the form)."""
        if not hasattr(error, "error_dict"):
            self.add_error(None, error)
            return
        for name, errors in error.error_dict.items():
            self.add_error(name if name in self.fields else None, errors)
