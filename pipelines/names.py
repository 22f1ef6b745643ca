"""Personal names: whether a run of characters can be a person's name.

A Chinese personal name is 2-4 characters (or a transliteration joined by ``·``), begins
with a surname from the table below (single or compound: ``欧阳``, ``司马``, ``诸葛``), and is
neither a place, an office nor a common word. A romanised name is one to four capitalised
words, or one run-together word (``ZhaoLeiming``); an all-capitals word alone is an acronym.
The tables are data: add a row, never a branch.
"""

from __future__ import annotations

import logging
import re

logger = logging.getLogger(__name__)

# Single-character surnames (simplified and traditional forms), the Hundred Family Surnames
# and the common modern ones.
SURNAMES = frozenset(
    "王李张張刘劉陈陳杨楊黄黃赵趙吴吳周徐孙孫马馬朱胡郭何高林罗羅郑鄭梁谢謝宋唐许許韩韓冯馮邓鄧曹彭曾"
    "肖萧蕭田董袁潘于蒋蔣蔡余杜叶葉程苏蘇魏吕呂丁任沈姚卢盧姜崔钟鍾谭譚陆陸汪范金石廖贾賈夏韦韋付傅方"
    "白邹鄒孟熊秦邱江尹薛闫閆阎閻段雷侯龙龍史陶黎贺賀顾顧毛郝龚龔邵万萬钱錢严嚴覃武戴莫孔向汤湯易常文"
    "欧歐聂聶左颜顏柳舒喻卜车車包滕申习習祝宁寧柯甘关關牛伍凌解郎米童霍蓝藍岳鲁魯鲍鮑单單翁芦蘆晏洪庞"
    "龐施游殷戚吉谷苗纪紀季尚乔喬盛齐齊栗幸佘辛乐樂阮康钮鈕景詹麦麥房邬鄔耿桂涂凤鳳卿宫宮储儲樊裴闵閔"
    "翟牟宛邢巫连連冉符胥荣榮屈匡应應饶饒尧堯粟揭阳陽雍巩鞏居邝鄺练練池琚伏骆駱蒙臧刁窦竇甄敖华華奚印"
    "尉宗卓蔺藺滑娄婁盘盤丛叢衣蔚仲糜农農邸郦酈郁韶焦巴弓隋阙闕伊荆荊邰缪繆贝貝计計戈井淡鄢瞿晋晉燕庄"
    "莊毕畢仇艾宿虞湛郜祁简簡冀逯官晁闻聞苟廉茅庹禹乌烏狄帅帥况況袭襲泮薄佟宣戎楼樓扈禄祿诸諸鞠银銀蒲"
    "勾庾阚闞桑续續浦迟遲隆索禤矫矯暴云雲冷"
    "章席杭支卫衛穆强強麻宾賓兰蘭言凡谈談鲜鮮昌倪梅裘嵇荀惠曲双雙贡貢逄扶濮时時明管路商师師海党黨门門"
    "安俞褚费費柏苑全边邊"
    "成赖賴温溫柴葛尤项項岑卞靳寇查冼姬屠栾欒厉厲祖鄂谌諶旷曠敬原相慕封芮秋丰豐班古满滿沙权權盖蓋桓束司从從咸阴陰劳勞寿壽别別茹容步弘越那竺巢牧山松富汲"
)
# Compound surnames: a name that begins with one is three or four characters long.
COMPOUND_SURNAMES = frozenset(
    {
        "欧阳",
        "歐陽",
        "司马",
        "司馬",
        "诸葛",
        "諸葛",
        "上官",
        "司徒",
        "东方",
        "東方",
        "皇甫",
        "尉迟",
        "尉遲",
        "公孙",
        "公孫",
        "令狐",
        "慕容",
        "长孙",
        "長孫",
        "宇文",
        "夏侯",
        "轩辕",
        "軒轅",
        "端木",
        "西门",
        "西門",
        "南宫",
        "南宮",
        "独孤",
        "獨孤",
        "澹台",
        "呼延",
        "闻人",
        "聞人",
        "申屠",
        "万俟",
        "濮阳",
        "濮陽",
        "钟离",
        "鍾離",
        "百里",
        "东郭",
        "公冶",
        "太史",
        "仲孙",
        "赫连",
        "赫連",
        "拓跋",
        "羊舌",
        "第五",
    }
)
# Runs that begin with a surname but name a place, an office or a common thing.
NOT_NAMES = frozenset(
    {
        # Anonymous, outlets and roles.
        "佚名",
        "本报",
        "本報",
        "本网",
        "本網",
        "记者",
        "記者",
        "通讯员",
        "编辑",
        "未知",
        "文字",
        "图文",
        "全文",
        "全媒体",
        "全媒體",
        "融媒体",
        "新华社",
        "新華社",
        "华声",
        "红网",
        "紅網",
        # Offices and titles.
        "书记",
        "常委",
        "市长",
        "县长",
        "区长",
        "部长",
        "局长",
        "主任",
        "主席",
        "院长",
        "校长",
        "厅长",
        "处长",
        "科长",
        "司长",
        "委员",
        "干部",
        "代表",
        "同志",
        "先生",
        "女士",
        "老师",
        "群众",
        "专家",
        # Places that begin with a surname character.
        "长沙",
        "常德",
        "邵阳",
        "岳阳",
        "衡阳",
        "娄底",
        "郴州",
        "永州",
        "怀化",
        "湘西",
        "张家界",
        "益阳",
        "湘潭",
        "株洲",
        "江西",
        "江苏",
        "广西",
        "贵州",
        "云南",
        "甘肃",
        "宁夏",
        "吉林",
        "武汉",
        "南京",
        "石家庄",
        "金华",
        "黄山",
        "黄冈",
        "荆州",
        "宜昌",
        "汉中",
        "安徽",
        "海南",
        "北京",
        "上海",
        "重庆",
        "天津",
        "香港",
        "澳门",
        "台湾",
        "全国",
        "全省",
        "全市",
        "全县",
        # Common words.
        "高度",
        "高速",
        "高质量",
        "文化",
        "文明",
        "方面",
        "方向",
        "时间",
        "时候",
        "严格",
        "周年",
        "周边",
        "金融",
        "黄金",
        "现场",
        "向前",
        "和谐",
        "平安",
        "安全",
        "发展",
        "关于",
        "国家",
        "国际",
        "经济",
        "经验",
        "常态",
        "程度",
        "于是",
        "华人",
        "万元",
        "万人",
        "水平",
        "项目",
    }
)
# Characters that do not occur in personal names (function words, place and office suffixes).
NOT_NAME_CHARS = re.compile(
    r"[的了在是和与與对對为為将將把被到说說等也都这這那从從讯訊电電报報网網县縣市区區省镇鎮村月日"
    r"时時年题題据據我你他她们們着著过過要就还還而及或但并並于於所以个個位]"
)
# Words that mark an organisation, a platform or a stock agency, not a person.
ORG_WORDS = frozenset(
    {
        "daily",
        "news",
        "agency",
        "xinhua",
        "net",
        "network",
        "online",
        "center",
        "centre",
        "office",
        "government",
        "department",
        "bureau",
        "tv",
        "media",
        "group",
        "committee",
        "association",
        "university",
        "press",
        "times",
        "post",
        "china",
        "hunan",
        "international",
        "communication",
        "channel",
        "website",
        "portal",
        "station",
        "newspaper",
        "cctv",
        "cgtn",
        "photo",
        "source",
        "vcg",
        "cfp",
        "ic",
        "for",
        "the",
        "of",
        "forum",
        "summit",
        "institute",
        "museum",
        "company",
        "co",
        "ltd",
        "corporation",
        "bank",
        "school",
        "hospital",
        "administration",
        "ministry",
        "council",
        "federation",
        "society",
        "studio",
        "service",
        "platform",
        "weekly",
        "magazine",
        "radio",
        "province",
        "city",
        "county",
        "wechat",
        "weixin",
        "weibo",
        "douyin",
        "toutiao",
        "facebook",
        "twitter",
        "youtube",
        "provided",
        "courtesy",
        "handout",
        "screenshot",
        "file",
        "imaginechina",
        "visual",
        "reuters",
        "afp",
        "epa",
        "getty",
    }
)
_CJK_RUN = re.compile(r"^[\u4e00-\u9fff]{2,4}$")
_TRANSLITERATED = re.compile(r"^[\u4e00-\u9fff]{1,8}(?:·[\u4e00-\u9fff]{1,8}){1,3}$")
_EN_WORD = re.compile(r"^[A-Z][A-Za-z'’-]*$")
_ACRONYM = re.compile(r"^[A-Z]{2,}$")


def surname_of(run: str) -> str | None:
    """The surname that ``run`` begins with (compound first), or None."""
    if run[:2] in COMPOUND_SURNAMES:
        return run[:2]
    return run[:1] if run[:1] in SURNAMES else None


def is_zh_name(run: str) -> bool:
    """Whether ``run`` can be a Chinese personal name (``王五``, ``欧阳娜娜``, ``阿力·木拉``)."""
    run = run.replace(" ", "")
    if _TRANSLITERATED.match(run):
        return True
    if not _CJK_RUN.match(run) or run in NOT_NAMES or NOT_NAME_CHARS.search(run[1:]):
        return False
    surname = surname_of(run)
    if surname is None:
        return False
    given = len(run) - len(surname)
    return 1 <= given <= 2 or (given == 3 and len(surname) == 1 and run[1:] not in NOT_NAMES)


def split_run(run: str) -> list[str]:
    """Split run-together Chinese names at surnames: 李盼吴丽李诗华 -> 李盼, 吴丽, 李诗华.

    A run that cannot be cut into names, every one of them beginning with a surname,
    is not a list of names: the answer is then empty.
    """
    if run[:2] in COMPOUND_SURNAMES and len(run) <= 4:
        return [run] if is_zh_name(run) else []
    names, i = [], 0
    while i < len(run):
        rest = len(run) - i
        if rest == 1:
            return []
        head = run[i:]
        compound = head[:2] in COMPOUND_SURNAMES
        if rest <= 3 or (rest == 4 and (compound or head[2] not in SURNAMES)):
            names.append(head)
            break
        step = 3 if compound else 2
        cut = step if head[step] in SURNAMES and rest - step >= 2 else step + 1
        names.append(head[:cut])
        i += cut
    return names if all(is_zh_name(name) for name in names) else []


def is_en_name(text: str, *, loose: bool = False) -> bool:
    """A romanised personal name: ``Zhao Lei``, ``ZHAO LEI``, ``ZhaoLeiming``, not ``HNFAO``.

    ``loose`` (for editor labels) also takes initials (``ZLM``) and lowercase handles.
    """
    words = text.split()
    if not 1 <= len(words) <= 4:
        return False
    if loose and len(words) == 1 and re.fullmatch(r"[A-Za-z][A-Za-z0-9_.-]{1,19}", text):
        return True
    if len(words) == 1 and _ACRONYM.match(text):
        return False
    return all(_EN_WORD.match(word) for word in words)


def is_org(text: str, *, acronyms: bool = True) -> bool:
    """An organisation rather than a person: a host, an outlet word, ``The …``, an acronym."""
    text = text.strip()
    words = re.findall(r"[A-Za-z]+", text)
    if "." in text or any(w.lower() in ORG_WORDS for w in words):
        return True
    return acronyms and len(words) == 1 and bool(_ACRONYM.match(text))
