#!/usr/bin/python3
"""Decree drafts (seimbangctl plan decrees) print on A4 in a real browser.

Drives the tiny agency of seimbang_flow.py through plan and execution, writes the plan's
decree drafts as HTML with seven copies (tembusan) and a long signing official, prints each
move's draft and the collective one to PDF with headless Chromium (Debian's package), and
checks that a move's draft is exactly one A4 page and that the collective's attachment
starts on a page of its own.

Usage: decrees_in_chromium_test.py SOURCE_DIR BUILD_DIR
"""
import datetime
import glob
import os
import sys
import tempfile
import unittest

SOURCE_DIR, BUILD_DIR = sys.argv[1], sys.argv[2]
sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "e2e"))
from report_layout import pdf_pages, print_to_pdf  # noqa: E402
from seimbang_flow import Services, run_flow  # noqa: E402

COPIES = ";".join([
    "Kepala Badan Kepegawaian Negara di Jakarta",
    "Kepala Kantor Regional IV Badan Kepegawaian Negara di Makassar",
    "Gubernur Sulawesi Selatan di Makassar",
    "Inspektur Kota Makassar",
    "Kepala Badan Pengelola Keuangan dan Aset Daerah Kota Makassar",
    "Kepala Perangkat Daerah asal dan tujuan",
    "Pegawai yang bersangkutan"])


class DecreesInChromium(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory(prefix="seimbang-decrees-")
        services = Services(BUILD_DIR, cls.tmp.name)
        cls.out = os.path.join(cls.tmp.name, "sk")
        try:
            plan_id = run_flow(services.ports, services.dir)
            services.seimbangctl(
                "plan", "decrees", plan_id, "--out", cls.out, "--copy-to", COPIES,
                "--signer-name", "Dr. Ir. H. Andi Muhammad Syahrul Ramadhan, S.T., M.Si.",
                "--signer-nip", "197001011995031001")
            # Without signer flags: the policy has no signing official, so the default one.
            cls.text_out = os.path.join(cls.tmp.name, "sk-text")
            services.seimbangctl("plan", "decrees", plan_id, "--out", cls.text_out,
                                 "--format", "text", "--collective-only")
            cls.approved_on = datetime.datetime.now(
                datetime.timezone(datetime.timedelta(hours=8))).date()
        finally:
            services.stop()

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def print_pdf(self, html):
        pdf = html[:-len(".html")] + ".pdf"
        profile = os.path.join(self.tmp.name, "profile-" + os.path.basename(html))
        log = print_to_pdf(html, pdf, profile)
        self.assertTrue(os.path.exists(pdf), log[-2000:])
        return pdf_pages(pdf)

    def test_each_moves_draft_prints_on_one_a4_page(self):
        drafts = sorted(p for p in glob.glob(os.path.join(self.out, "sk_*.html"))
                        if not p.endswith("sk_kolektif.html"))
        self.assertTrue(drafts, "no per-move draft written")
        for html in drafts[:3]:
            with open(html, encoding="utf-8") as f:
                self.assertIn("Gubernur Sulawesi Selatan di Makassar", f.read())
            self.assertEqual(self.print_pdf(html), 1, html)

    def test_the_approved_plans_decree_names_the_day_of_approval(self):
        # Issue 19: run_flow approved the plan today (WITA); the considerations say so.
        months = ["Januari", "Februari", "Maret", "April", "Mei", "Juni", "Juli", "Agustus",
                  "September", "Oktober", "November", "Desember"]
        d = self.approved_on
        with open(os.path.join(self.text_out, "sk_kolektif.txt"), encoding="utf-8") as f:
            text = f.read()
        self.assertIn(f"disetujui pada tanggal {d.day} {months[d.month - 1]} {d.year}", text)
        self.assertIn("WALI KOTA MAKASSAR", text)

    def test_the_collective_attachment_starts_on_its_own_page(self):
        self.assertGreaterEqual(self.print_pdf(os.path.join(self.out, "sk_kolektif.html")), 2)


if __name__ == "__main__":
    unittest.main(argv=[sys.argv[0]], verbosity=2)
