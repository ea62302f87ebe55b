from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def highlight_findings(text: str, findings) -> str:
    """Plain text, escaped, with the filter's findings marked at their offsets."""
    spans = sorted(
        ((f["start"], f["end"], f["category"]) if isinstance(f, dict) else (f.start, f.end, f.category))
        for f in findings
    )
    parts, cursor = [], 0
    for start, end, category in spans:
        if start < cursor:
            continue  # overlapping findings: the first one already marks this text
        parts.append(escape(text[cursor:start]))
        parts.append(
            format_html(
                '<mark class="finding" data-category="{}" title="{}">{}</mark>',
                category,
                category.replace("_", " "),
                text[start:end],
            )
        )
        cursor = end
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(str(part) for part in parts).replace("\n", "<br>"))  # noqa: S308 - escaped above
