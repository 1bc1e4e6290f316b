"""The demonstration's courts, Magistrates, escorts and the words of their outcomes
(fictitious people; the courts are the Magistrates' courts near Semenyih)."""

from __future__ import annotations

import datetime as dt

# name: (code in its case and order numbers, the Magistrate, when the court sits)
COURTS = {
    "Mahkamah Majistret Kajang": ("KJG", "Puan Nor Azlina binti Abdul Rahman", dt.time(9, 0)),
    "Mahkamah Majistret Bangi": ("BGI", "Encik Mohd Firdaus bin Ismail", dt.time(9, 30)),
    "Mahkamah Majistret Putrajaya": ("PJY", "Puan Chong Mei Ling", dt.time(9, 0)),
}
# The escort team of the day: an officer and the men and women with them.
ESCORTS = (
    "PPgI Rosli bin Ahmad dan 2 anggota",
    "PPgI Kamaruddin bin Hussin dan 3 anggota",
    "PPgI Norhayati binti Salleh dan 2 anggota",
    "PPgI Lim Boon Keat dan 2 anggota",
    "PPgI Saravanan a/l Muthu dan 3 anggota",
)
# Sections a demonstration detainee may be charged under (s.58: with the PP's sanction).
CHARGES = {
    "s.6(1)(c)": "Memasuki Malaysia tanpa Pas yang sah, kesalahan di bawah seksyen 6(1)(c) "
                 "Akta Imigresen 1959/63 (entering Malaysia without a valid Pass)",
    "s.15(1)(c)": "Tinggal di Malaysia selepas tamat tempoh Pas, kesalahan di bawah seksyen "
                  "15(1)(c) Akta Imigresen 1959/63 (remaining after the expiry of a Pass)",
    "reg. 39(b)": "Melanggar syarat Pas, kesalahan di bawah peraturan 39(b) Peraturan-"
                  "Peraturan Imigresen 1963 (contravening the conditions of a Pass)",
}
SENTENCES = (
    "Penjara 4 bulan dari tarikh tangkap (4 months' imprisonment from the date of arrest)",
    "Penjara 6 bulan dari tarikh tangkap (6 months' imprisonment from the date of arrest)",
    "Denda RM3,000, gagal bayar penjara 3 bulan (fine RM3,000, in default 3 months)",
)
PRISONS = ("Penjara Kajang", "Penjara Wanita Kajang")  # by sex: men, women
RELEASE_NOTES = (
    "the employer produced a valid PLKS for the period of the arrest",
    "identity and a valid Pass confirmed by the embassy",
)
