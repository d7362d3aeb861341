# ruff: noqa: E501  (the templates keep the long lines of the real markup they copy)
"""An old table portal (ASP, FrontPage-era 3cms style): nested `<table>` layout with
`<font>` tags and no classes worth the name, articles at `/tintuc/chitiet.asp?id=NNN`,
listings at `/tintuc/danhmuc.asp?id=K` paged by `&p=N` with numbered and `Trang sau`
links, relative links inside `/tintuc/`, the date beside the title in the same `<tr>`,
the byline bold and right-aligned (`UNIT - Name`, caps names) and `Các tin khác:`
(table_* and 3cms_* fixtures)."""

from __future__ import annotations

from crawler.replica.synthetic.content import Article
from crawler.replica.synthetic.families.base import Family, Route
from crawler.replica.synthetic.families.common import (
    Section,
    attr,
    body_html,
    bylines,
    dmy,
    lead_of,
    shown_pages,
    text,
    weekday,
)

CONTACT = "/lienhe.asp"


class Table3cms(Family):
    name = "table3cms"
    description = (
        "nested-table ASP portal: /tintuc/chitiet.asp?id=N, danhmuc.asp?id=K&p=N with "
        "`Trang sau`, relative links, date beside the title"
    )
    sections = (
        Section("tin-hoat-dong", "Tin hoạt động", 1, "tin-hoat-dong"),
        Section("xay-dung-dang", "Xây dựng Đảng", 2, "xay-dung-dang"),
        Section("kinh-te", "Kinh tế - Xã hội", 3, "kinh-te"),
        Section("van-hoa", "Văn hóa - Thể thao", 4, "van-hoa"),
        Section("quoc-phong", "Quốc phòng - An ninh", 5, "quoc-phong"),
    )
    weights = (5, 3, 2, 1, 1)
    byline = staticmethod(
        bylines({"unit_name": 3, "name_unit_comma": 2, "caps": 2, "none": 2, "nguon": 1})
    )
    id_base = 1100
    per_page = 15
    contact_url = CONTACT
    home_urls = ("/", "/default.asp")
    documents_url = "/vanban.asp"
    robots = "User-agent: *\nDisallow: /admin/\n"

    @staticmethod
    def special_url(number: int, variant: int) -> str:
        return f"/tintuc/chitiet.asp?id={number}&cm={variant}"

    def article_url(self, article: Article) -> str:
        return f"/tintuc/chitiet.asp?id={article.id}"

    def moved_url(self, article: Article) -> str:
        # The address the first version of the portal gave articles.
        return f"/tintuc/chitiet.asp?ma={article.id}&cm={self.section(article).key}"

    def listing_url(self, slug: str | None, page: int) -> str | None:
        if slug is None:
            return None
        url = f"/tintuc/danhmuc.asp?id={self.by_slug[slug].key}"
        return url if page == 1 else f"{url}&p={page}"

    def listing_aliases(self, slug: str | None) -> tuple[str, ...]:
        # The pager of the later pages numbers the first one too.
        return (f"{self.listing_url(slug, 1)}&p=1",) if slug and self.pages(slug) > 1 else ()

    def route(self, path: str, query: dict[str, str]) -> Route | None:
        lower = path.lower()
        if lower in ("/", "/default.asp"):
            return Route("home")
        if lower == CONTACT:
            return Route("contact")
        if lower == "/tintuc/chitiet.asp":
            index = self.article_index(query.get("id") or query.get("ma", ""))
            return None if index is None else Route("article", index=index)
        if lower == "/tintuc/danhmuc.asp":
            slug = next((s.slug for s in self.sections if str(s.key) == query.get("id")), None)
            raw = query.get("p", "1")
            if slug is None or not raw.isdigit():
                return None
            return Route("listing", slug, int(raw))
        return None

    # --- templates ---------------------------------------------------------------

    def _page(self, title: str, center: str) -> str:
        categories = "<br>\n".join(
            f'                &#8226; <a href="../tintuc/danhmuc.asp?id={s.key}">{text(s.name)}</a>'
            for s in self.sections
        )
        newest = "\n".join(
            f'              <tr><td><font face="Arial" size="1"><img src="../images/arrow.gif" width="5" height="7"> <a href="../tintuc/chitiet.asp?id={a.id}">{text(a.title)}</a> <font color="#999999">({dmy(a.published)})</font></font></td></tr>'
            for a in self.newest(6)
        )
        today = self.today
        return f"""<html>
<head>
<title>{text(title)}</title>
<meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<meta name="GENERATOR" content="Microsoft FrontPage 4.0">
<link rel="stylesheet" href="../style.css" type="text/css">
<script language="JavaScript">
<!--
function inbai(id) {{ window.open('inbai.asp?id='+id,'inbai','scrollbars=yes,width=650,height=500'); }}
//-->
</script>
</head>
<body bgcolor="#FFFFFF" leftmargin="0" topmargin="0" marginwidth="0" marginheight="0">
<table width="778" border="0" cellspacing="0" cellpadding="0" align="center">
  <tr><td><img src="../images/banner.jpg" width="778" height="120" alt="Huyện ủy"></td></tr>
  <tr>
    <td bgcolor="#990000" height="24">
      <table width="100%" border="0" cellspacing="0" cellpadding="0"><tr>
          <td width="40%"><font face="Arial" size="2" color="#FFFFFF"><b>&nbsp;{weekday(today, lower=True)}, {dmy(today)}</b></font></td>
          <td width="60%" align="right"><font face="Arial" size="2"><a href="../default.asp"><font color="#FFFFFF">Trang chủ</font></a> <font color="#FFFFFF">|</font> <a href="../tintuc/danhmuc.asp?id=1"><font color="#FFFFFF">Tin tức</font></a> <font color="#FFFFFF">|</font> <a href="../vanban.asp"><font color="#FFFFFF">Văn bản</font></a> <font color="#FFFFFF">|</font> <a href="..{CONTACT}"><font color="#FFFFFF">Liên hệ</font></a>&nbsp;</font></td>
      </tr></table>
    </td>
  </tr>
  <tr>
    <td>
      <table width="100%" border="0" cellspacing="0" cellpadding="4">
        <tr>
          <td width="170" valign="top" bgcolor="#F3F3F3">
            <table width="100%" border="0" cellspacing="0" cellpadding="2">
              <tr><td bgcolor="#CC0000"><font class="tieude">&nbsp;DANH MỤC</font></td></tr>
              <tr><td><font face="Arial" size="2">
{categories}</font></td></tr>
              <tr><td bgcolor="#CC0000"><font class="tieude">&nbsp;TÌM KIẾM</font></td></tr>
              <tr><td><form method="post" action="../timkiem.asp"><input type="text" name="tukhoa" size="15"> <input type="submit" value="Tìm"></form></td></tr>
            </table>
          </td>
          <td valign="top">
{center}
          </td>
          <td width="170" valign="top" bgcolor="#F3F3F3">
            <table width="100%" border="0" cellspacing="0" cellpadding="2">
              <tr><td bgcolor="#CC0000"><font class="tieude">&nbsp;TIN MỚI</font></td></tr>
{newest}
              <tr><td bgcolor="#CC0000"><font class="tieude">&nbsp;THỐNG KÊ</font></td></tr>
              <tr><td><font face="Arial" size="1">Số lượt truy cập:<br><b>0034218</b></font></td></tr>
            </table>
          </td>
        </tr>
      </table>
    </td>
  </tr>
  <tr><td bgcolor="#990000" align="center" height="50"><font face="Arial" size="1" color="#FFFFFF">Văn phòng Huyện ủy - ĐT: 036.3866.201 - Email: vanphong@huyenuy.gov.vn</font></td></tr>
</table>
</body>
</html>
"""

    def article(self, article: Article) -> str:
        p = article.published
        body = body_html(
            article,
            lambda value: f'<p align="justify"><font face="Arial" size="2">{text(value)}</font></p>',
            _image,
        )
        if article.author_line:
            body += f'\n<p align="right"><font face="Arial" size="2"><b>{text(article.author_line)}</b></font></p>'
        others = "".join(
            f'<br>&nbsp;&nbsp;- <a href="chitiet.asp?id={a.id}">{text(a.title)}</a> <font color="#999999">({dmy(a.published)})</font>'
            for a in self.related(article)
        )
        center = f"""<table width="100%" border="0" cellspacing="0" cellpadding="3">
  <tr>
    <td width="75%" valign="bottom"><font face="Arial" size="3" color="#990000"><b>{text(article.title)}</b></font></td>
    <td width="25%" align="right" valign="bottom" nowrap><font face="Arial" size="1" color="#666666">{dmy(p)} {p:%H:%M}</font></td>
  </tr>
  <tr><td colspan="2"><hr size="1" color="#CCCCCC"></td></tr>
  <tr><td colspan="2">
<p align="justify"><font face="Arial" size="2"><b>{text(article.lead)}</b></font></p>
{body}
  </td></tr>
</table>
<table width="100%" border="0"><tr><td align="right"><font face="Arial" size="1"><a href="javascript:inbai({article.id})"><img src="../images/print.gif" border="0"> In bài này</a> &nbsp; <a href="mailto:?subject=Tin%20bai">Gửi cho bạn bè</a></font></td></tr></table>
<table width="100%" border="0" cellspacing="0" cellpadding="3"><tr><td><font face="Arial" size="2"><b>Các tin khác:</b>{others}</font></td></tr></table>"""
        return self._page("Huyện ủy", center)

    def listing(self, slug: str | None, page: int) -> str:
        assert slug is not None
        s = self.by_slug[slug]
        pages = self.pages(slug)
        rows = "\n".join(
            f"""  <tr><td valign="top" width="90"><a href="chitiet.asp?id={a.id}"><img src="../anh/{a.id}.jpg" width="85" border="0"></a></td>
    <td valign="top"><font face="Arial" size="2"><a href="chitiet.asp?id={a.id}"><b>{text(a.title)}</b></a> <font color="#999999" size="1">({dmy(a.published)})</font><br>{text(lead_of(a))}</font></td></tr>"""
            for a in self.listed(slug, page)
        )
        links = " ".join(
            f"<b>[{n}]</b>" if n == page else f'<a href="danhmuc.asp?id={s.key}&amp;p={n}">{n}</a>'
            for n in shown_pages(page, pages)
        )
        if page < pages:
            links += f' <a href="danhmuc.asp?id={s.key}&amp;p={page + 1}">Trang sau &gt;&gt;</a>'
        center = f"""<table width="100%" border="0" cellspacing="0" cellpadding="3">
  <tr><td colspan="2" bgcolor="#EEEEEE"><font face="Arial" size="2" color="#990000"><b>{text(s.name.upper())}</b></font></td></tr>
{rows}
  <tr><td colspan="2" align="center"><font face="Arial" size="2">Trang: {links}</font></td></tr>
</table>"""
        return self._page(f"Huyện ủy - {s.name}", center)

    def home(self) -> str:
        blocks = []
        for s in self.sections:
            items = "<br>\n".join(
                f'&nbsp;&nbsp;- <a href="tintuc/chitiet.asp?id={a.id}">{text(a.title)}</a> <font color="#999999" size="1">({dmy(a.published)})</font>'
                for a in self.newest(4, s.slug)
            )
            blocks.append(
                f'<table width="100%" border="0" cellspacing="0" cellpadding="3"><tr><td bgcolor="#EEEEEE"><a href="tintuc/danhmuc.asp?id={s.key}"><font face="Arial" size="2" color="#990000"><b>{text(s.name.upper())}</b></font></a></td></tr>\n<tr><td><font face="Arial" size="2">{items}</font></td></tr></table>'
            )
        specials = self.notices("<br>", "{}")
        center = "\n".join(blocks) + f'\n<font face="Arial" size="2">{specials}</font>'
        # The home page sits one folder up: its relative links must still resolve.
        return self._page("Huyện ủy", center).replace('"../', '"/')

    def static(self, title: str, html: str) -> str:
        center = f'<font face="Arial" size="2">{html}</font>'
        return self._page(f"Huyện ủy - {title}", center).replace('"../', '"/')

    def contact(self) -> str:
        center = """<font face="Arial" size="2"><b>LIÊN HỆ</b><br>Văn phòng Huyện ủy<br>Điện thoại: 036.3866.201<br>
<form method="post" action="lienhe.asp"><input type="text" name="hoten"><br><textarea name="noidung"></textarea><br><input type="submit" value="Gửi"></form></font>"""
        return self._page("Huyện ủy - Liên hệ", center).replace('"../', '"/')


def _image(image: dict) -> str:
    caption = image["caption"]
    row = f'<tr><td align="center"><font face="Arial" size="1"><i>{text(caption)}</i></font></td></tr>' if caption else ""
    return (
        f'<table align="center" border="0" cellpadding="2"><tr><td><img src="{attr(image["src"])}" width="450" border="0"></td></tr>{row}</table>'
    )
