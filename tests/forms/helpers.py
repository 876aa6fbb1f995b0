"""Text extraction for rendered forms: PDF via pypdf, DOCX via python-docx (paragraphs, tables, nested tables)."""

import io
import unicodedata


def pdf_text(content: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    return normalise("\n".join(page.extract_text() for page in reader.pages))


def pdf_pages(content: bytes):
    from pypdf import PdfReader

    return PdfReader(io.BytesIO(content)).pages


def docx_document(content: bytes):
    from docx import Document

    return Document(io.BytesIO(content))


def docx_text(content: bytes) -> str:
    doc = docx_document(content)
    parts = [p.text for p in doc.paragraphs]

    def walk(tables):
        for table in tables:
            for row in table.rows:
                for cell in row.cells:
                    parts.extend(p.text for p in cell.paragraphs)
                    walk(cell.tables)

    walk(doc.tables)
    return normalise("\n".join(parts))


def normalise(text: str) -> str:
    """NFC, and line breaks/spaces collapsed (a PDF wraps long lines anywhere)."""
    return " ".join(unicodedata.normalize("NFC", text).split())
