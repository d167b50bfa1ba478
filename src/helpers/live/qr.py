"""The join address as a QR code: text for the terminal, PNG for the projector and slides."""

from __future__ import annotations

import io


def _code(data: str):
    import qrcode

    code = qrcode.QRCode(border=2, error_correction=qrcode.constants.ERROR_CORRECT_M)
    code.add_data(data)
    code.make(fit=True)
    return code


def terminal_text(data: str) -> str:
    """The QR code drawn with block characters (dark on a light terminal and light on a dark one)."""
    out = io.StringIO()
    _code(data).print_ascii(out=out, invert=True)
    return out.getvalue()


def png_bytes(data: str, box_size: int = 10) -> bytes:
    """The QR code as a PNG image."""
    from qrcode.image.pil import PilImage

    code = _code(data)
    code.box_size = box_size
    out = io.BytesIO()
    code.make_image(image_factory=PilImage).save(out, format="PNG")
    return out.getvalue()
