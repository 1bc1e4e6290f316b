"""Rendering: ReportLab PDFs, barcodes and fonts. No Qt."""
