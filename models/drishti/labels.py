"""Label maps for every head, the folding of rare catalogue values, Hindi names, and the
mapping from clothing-photos folder classes to our article types."""
from __future__ import annotations

OTHER = "other"

# articleType: every catalogue type with >= 25 usable images is its own class. Rarer types are folded
# into a documented group when one fits, else into "other" (about 1% of images).
ARTICLE_TYPE_FOLDS: dict[str, str] = {
    "Mufflers": "Mufflers & Scarves",
    "Scarves": "Mufflers & Scarves",
    "Stoles": "Mufflers & Scarves",
    "Capris": "Leggings & Capris",
    "Leggings": "Leggings & Capris",
    "Tights": "Leggings & Capris",
    "Churidar": "Leggings & Capris",
    "Laptop Bag": "Other Bags",
    "Duffel Bag": "Other Bags",
    "Messenger Bag": "Other Bags",
    "Rucksacks": "Other Bags",
    "Waist Pouch": "Other Bags",
    "Mobile Pouch": "Other Bags",
    "Hat": "Caps",
    "Sports Sandals": "Sandals",
}
MIN_CLASS_IMAGES = 25

GENDER_FOLDS = {"Boys": "Kids", "Girls": "Kids"}
GENDER_CLASSES = ["Men", "Women", "Unisex", "Kids"]
USAGE_FOLDS = {"Smart Casual": "Casual", "Travel": "Casual"}
USAGE_CLASSES = ["Casual", "Formal", "Sports", "Ethnic"]
COLOUR_CLASSES = [
    "Black", "Blue", "White", "Brown", "Grey", "Red", "Green", "Purple", "Pink", "Yellow",
    "Metallic", "Orange", "Multi",
]
SEASON_CLASSES = ["Fall", "Winter", "Summer", "Spring"]

HEADS = ["articleType", "gender", "usage", "colour", "season"]

HINDI: dict[str, dict[str, str]] = {
    "articleType": {
        "Tshirts": "टी-शर्ट",
        "Shirts": "शर्ट",
        "Casual Shoes": "कैज़ुअल जूते",
        "Sports Shoes": "खेल के जूते",
        "Tops": "टॉप",
        "Kurtas": "कुर्ता",
        "Watches": "घड़ी",
        "Handbags": "हैंडबैग",
        "Heels": "ऊँची एड़ी की सैंडल",
        "Sunglasses": "धूप का चश्मा",
        "Sweaters": "स्वेटर",
        "Flip Flops": "हवाई चप्पल",
        "Sandals": "सैंडल",
        "Wallets": "बटुआ",
        "Sweatshirts": "स्वेटशर्ट",
        "Belts": "बेल्ट",
        "Trousers": "पतलून",
        "Formal Shoes": "फ़ॉर्मल जूते",
        "Socks": "मोज़े",
        "Jeans": "जींस",
        "Jackets": "जैकेट",
        "Flats": "फ़्लैट जूतियाँ",
        "Backpacks": "बैकपैक",
        "Shorts": "शॉर्ट्स",
        "Caps": "टोपी",
        "Ties": "टाई",
        "Track Pants": "ट्रैक पैंट",
        "Kurtis": "कुर्ती",
        "Clutches": "क्लच",
        "Accessory Gift Set": "एक्सेसरी उपहार सेट",
        "Mufflers & Scarves": "मफ़लर और स्कार्फ़",
        "Dresses": "ड्रेस",
        "Skirts": "स्कर्ट",
        "Leggings & Capris": "लेगिंग्स और कैप्री",
        "Other Bags": "अन्य बैग",
        OTHER: "अन्य",
    },
    "gender": {"Men": "पुरुष", "Women": "महिला", "Unisex": "यूनिसेक्स", "Kids": "बच्चे"},
    "usage": {"Casual": "कैज़ुअल", "Formal": "फ़ॉर्मल", "Sports": "खेलकूद", "Ethnic": "पारंपरिक"},
    "colour": {
        "Black": "काला", "Blue": "नीला", "White": "सफ़ेद", "Brown": "भूरा", "Grey": "स्लेटी",
        "Red": "लाल", "Green": "हरा", "Purple": "बैंगनी", "Pink": "गुलाबी", "Yellow": "पीला",
        "Metallic": "धात्विक", "Orange": "नारंगी", "Multi": "बहुरंगी",
    },
    "season": {"Fall": "पतझड़", "Winter": "सर्दी", "Summer": "गर्मी", "Spring": "वसंत"},
}

ENGLISH: dict[str, str] = {
    "Tshirts": "T-shirts",
    "Flip Flops": "Flip-flops",
    OTHER: "Other",
    "Multi": "Multicolour",
}

# clothing-photos folder → article types that count as a correct answer (set-valued label).
CLOTHING_TO_ARTICLE_TYPES: dict[str, list[str]] = {
    "dress": ["Dresses"],
    "hat": ["Caps"],
    "longsleeve": ["Tshirts", "Tops", "Sweatshirts", "Sweaters", "Shirts"],
    "outwear": ["Jackets", "Sweatshirts", "Sweaters"],
    "pants": ["Jeans", "Trousers", "Track Pants", "Leggings & Capris"],
    "shirt": ["Shirts"],
    "shoes": ["Casual Shoes", "Sports Shoes", "Formal Shoes", "Heels", "Flats", "Sandals", "Flip Flops"],
    "shorts": ["Shorts"],
    "skirt": ["Skirts"],
    "t-shirt": ["Tshirts", "Tops"],
}
# For per-folder scores (macro-F1): the folder an article-type prediction is read as when it is wrong.
ARTICLE_TYPE_TO_CLOTHING: dict[str, str] = {}
for _folder in ["t-shirt", "shirt", "outwear", "longsleeve", "pants", "shoes", "dress", "hat", "shorts", "skirt"]:
    for _t in CLOTHING_TO_ARTICLE_TYPES[_folder]:
        ARTICLE_TYPE_TO_CLOTHING.setdefault(_t, _folder)


def fold_article_type(raw: str, classes: list[str] | None = None) -> str:
    t = ARTICLE_TYPE_FOLDS.get(raw, raw)
    if classes is not None and t not in classes:
        return OTHER
    return t


def fold_value(head: str, raw: str) -> str | None:
    """Catalogue value → class id for a non-articleType head, or None when missing/unknown."""
    raw = (raw or "").strip()
    if head == "gender":
        v = GENDER_FOLDS.get(raw, raw)
        return v if v in GENDER_CLASSES else None
    if head == "usage":
        v = USAGE_FOLDS.get(raw, raw)
        return v if v in USAGE_CLASSES else None
    if head == "colour":
        return raw if raw in COLOUR_CLASSES else None
    if head == "season":
        return raw if raw in SEASON_CLASSES else None
    raise KeyError(head)


def fixed_classes(head: str) -> list[str]:
    return {"gender": GENDER_CLASSES, "usage": USAGE_CLASSES, "colour": COLOUR_CLASSES, "season": SEASON_CLASSES}[head]


def label_names(head: str, ids: list[str]) -> list[dict[str, str]]:
    hindi = HINDI.get(head, {})
    out = []
    for i in ids:
        # A merchant-added category has no Hindi name yet: show the English one rather than nothing.
        out.append({"id": i, "en": ENGLISH.get(i, i), "hi": hindi.get(i, ENGLISH.get(i, i))})
    return out
