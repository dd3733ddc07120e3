import HuiyinCore
import HuiyinStore

// Chinese text pools for the demo seed. Summaries are composed from an opener (by channel), a
// situation, an optional extra detail and a request, so that 300 cases do not repeat verbatim.
//
// Placeholders, filled per case by `DemoSeed.Composer`:
//   {y} years married   {kid} 儿子/女儿   {age} the child's age   {self} the petitioner's own age
//   {m} months   {n} a small count   {money} 万元 amount   {money2} 元 amount   {fee} monthly amount
//   {place} the township/street of the case   {county} its county   {rep} a representative's name

extension DemoSeed {
    /// One situation a petitioner describes. `ages` is the petitioner's plausible age; `minorSelf`
    /// marks a child speaking for herself (calls only); `asks` are requests and `details` further
    /// facts that fit this situation; `only` keeps the category's generic requests and facts away.
    struct Situation: Sendable {
        let text: String
        let ages: ClosedRange<Int>
        let asks: [String]
        let details: [String]
        let only: Bool
        let minorSelf: Bool
    }

    static func s(_ text: String, ages: ClosedRange<Int> = 23...52, asks: [String] = [], details: [String] = [],
                  only: Bool = false, minorSelf: Bool = false) -> Situation {
        Situation(text: text, ages: ages, asks: asks, details: details, only: only || minorSelf, minorSelf: minorSelf)
    }

    static let situations: [CaseCategory: [Situation]] = [
        .marriageFamily: [
            s("与丈夫结婚{y}年，丈夫近两年沉迷网络赌博，欠下外债约{money}，经常夜不归宿，夫妻关系名存实亡",
              asks: ["咨询离婚时夫妻共同债务如何认定", "希望了解起诉离婚的程序和所需材料"],
              details: ["债主已多次打电话到娘家", "双方父母多次劝解无果", "近期已准备起诉"]),
            s("丈夫长期在外务工，两年多未往家里寄钱，也很少过问孩子，{kid}今年{age}岁，全靠自己打零工和老人帮衬",
              asks: ["希望妇联联系丈夫所在地协调抚养费问题", "咨询能否要求丈夫支付抚养费"],
              details: ["丈夫电话经常打不通", "孩子下学期的学费还没有着落"]),
            s("已与丈夫协议离婚，约定{kid}随自己生活、男方每月支付抚养费{fee}元，但男方已{m}个月分文未付",
              asks: ["要求协调抚养费", "咨询如何申请强制执行抚养费"],
              details: ["男方已再婚，电话常常不接", "村（社区）调解委员会曾调解过一次", "手中有离婚协议书"]),
            s("与丈夫因家庭琐事长期争吵，婆媳矛盾突出，丈夫一味偏向婆婆，双方已分居{m}个月",
              asks: ["希望妇联组织双方家庭进行调解", "希望转家事调解员协助化解"],
              details: ["目前带着孩子暂住娘家", "双方父母多次劝解无果", "本人仍希望维持婚姻"]),
            s("发现丈夫有婚外情，丈夫将夫妻共同存款陆续转到他人名下，担心离婚时财产被转移",
              asks: ["咨询离婚财产分割", "咨询如何保全夫妻共同财产"],
              details: ["已保存部分转账记录", "丈夫拒绝沟通"]),
            s("结婚时男方家给付彩礼{money}，婚后不到一年感情破裂，男方家要求全额退还彩礼，双方争执不下",
              asks: ["咨询彩礼返还的法律规定", "希望妇联协调双方家庭"],
              details: ["彩礼大部分已用于购置婚房家具", "男方家人多次上门吵闹"]),
            s("离婚后{kid}随男方生活，男方以各种理由阻挠探视，已有{m}个月没能见到孩子",
              asks: ["请求协调探视权", "咨询探望权如何申请强制执行"],
              details: ["离婚判决书写明每月可探望两次", "去学校看孩子也被男方家人拦下"]),
            s("丈夫提出离婚，自己不同意，没有工作也没有住处，担心离婚后生活无着",
              asks: ["咨询离婚财产分割及经济帮助的规定", "希望妇联协助调解"],
              details: ["婚后一直在家照顾老人孩子", "房子登记在公婆名下"]),
            s("丈夫不让自己外出工作，家中收入全部由丈夫掌控，连买菜钱都要逐笔报账，长期感到压抑",
              asks: ["希望得到心理疏导", "希望妇联上门与丈夫沟通"],
              details: ["近期情绪很差，夜里睡不着", "娘家人劝其忍一忍"]),
            s("与丈夫感情不和多年，想起诉离婚，但不清楚起诉程序，也担心{kid}的抚养权归属",
              asks: ["咨询离婚诉讼程序及抚养权判定标准", "申请法律援助"],
              details: ["家中经济较为困难", "孩子一直由本人照顾"]),
            s("儿子儿媳正在闹离婚，孙子今年{age}岁，儿媳准备把孩子带回娘家，自己作为奶奶想争取探望孙子",
              ages: 52...70, asks: ["咨询祖父母探望孙子女的法律规定", "希望妇联帮助调解"],
              details: ["孙子从小由自己带大"], only: true),
            s("丈夫婚前隐瞒了大额债务，现债主多次上门催讨{money}，要求自己共同偿还",
              asks: ["咨询夫妻一方婚前债务是否需要共同偿还"],
              details: ["借条上只有丈夫一人签名", "债主曾到单位吵闹"]),
            s("年逾七十，与老伴靠养老金和低保生活，三个子女互相推诿，均不愿承担赡养义务",
              ages: 70...82, asks: ["请求督促子女履行赡养义务", "希望妇联协调村（社区）组织家庭调解"],
              details: ["老伴患病常年吃药", "村干部曾出面协调未果"], only: true),
            s("丈夫因病长期卧床，家中开支全靠自己支撑，公婆却要求自己辞工在家照顾，夫家矛盾越来越深",
              ages: 30...55, asks: ["希望妇联帮助调解家庭矛盾"],
              details: ["家中经济较为困难", "孩子正在读高中"]),
        ],
        .domesticViolence: [
            s("丈夫酒后经常动手打人，昨晚又因琐事将自己打伤，脸部和手臂有明显淤青",
              asks: ["申请人身安全保护令", "咨询如何申请人身安全保护令", "希望妇联联系派出所出具家庭暴力告诫书"],
              details: ["已到医院验伤并保留了病历", "邻居可以作证", "孩子目睹了经过"]),
            s("结婚{y}年来多次遭受丈夫殴打，此前报过警，丈夫写过保证书，但之后仍然打骂不断",
              asks: ["请求协助申请人身安全保护令", "申请法律援助，准备起诉离婚"],
              details: ["手中保存有报警回执", "担心被报复，要求对个人信息保密"]),
            s("丈夫长期辱骂、威胁，扬言如果离婚就对自己和娘家人不利，目前不敢回家，暂住在朋友家",
              asks: ["需要临时庇护场所", "申请人身安全保护令"],
              details: ["手机里存有威胁短信", "担心被报复，要求对个人信息保密"]),
            s("丈夫控制自己的手机和身份证件，不许与娘家人联系，稍有不顺就摔东西、掐脖子",
              asks: ["希望妇联上门了解情况并联系派出所", "咨询如何留存家暴证据"],
              details: ["此次是借用邻居手机打来", "娘家人不在本地，无处可去"]),
            s("离婚后前夫仍多次到单位和住处纠缠、跟踪，还发信息威胁要“同归于尽”",
              asks: ["咨询离婚后能否申请人身安全保护令", "希望妇联协调公安机关介入"],
              details: ["已保存聊天记录和截图", "曾报警，对方被口头警告后仍不收敛"]),
            s("成年的儿子经常向自己要钱，不给就推搡辱骂，上周把自己推倒在地导致手腕骨折",
              ages: 55...75, asks: ["希望妇联协调社区和派出所处理", "咨询老人遭受子女家暴如何维权"],
              details: ["老伴已去世，独自居住", "儿子长期无固定工作"]),
            s("丈夫不仅对自己动手，还经常打骂{age}岁的{kid}，孩子身上有伤，晚上常做噩梦",
              asks: ["请求协助报警并为孩子提供心理干预", "申请人身安全保护令，保护自己和孩子"],
              details: ["学校老师也发现了孩子身上的伤", "已带孩子到医院检查"]),
            s("同居男友多次实施暴力，自己现已怀孕{m}个月，担心自身和胎儿安全",
              asks: ["咨询同居关系能否申请人身安全保护令", "需要临时庇护场所"],
              details: ["娘家人不在本地，无处可去", "男友扬言不许其离开"]),
            s("丈夫近期因生意失败情绪失控，多次砸坏家中物品并动手打人，孩子受到惊吓",
              asks: ["希望得到心理疏导", "希望妇联协调社区上门调解"],
              details: ["曾向派出所报警，出具过家庭暴力告诫书", "家中欠债较多"]),
            s("婆婆和丈夫长期对自己冷暴力、言语侮辱，说自己生不出儿子，精神压力极大，夜里失眠",
              asks: ["希望得到心理疏导", "咨询精神暴力是否属于家庭暴力"],
              details: ["已到医院看过心理门诊", "娘家人劝其忍一忍"]),
            s("丈夫赌博输钱后回家逼要存折，不给就拳打脚踢，已是本月第三次",
              asks: ["希望妇联联系派出所出具家庭暴力告诫书", "申请人身安全保护令"],
              details: ["已到医院验伤并保留了病历", "担心被报复，要求对个人信息保密"]),
        ],
        .sexualAssault: [
            s("{kid}今年{sage}岁，在校外辅导班期间遭到一名男性工作人员不当触碰，孩子回家后情绪异常",
              ages: 30...48, asks: ["已报警，希望妇联跟进并为孩子提供心理干预",
                                    "希望为孩子安排心理疏导，并协调相关部门处理辅导班"],
              details: ["要求对孩子信息严格保密"], only: true),
            s("在单位多次遭到上级领导言语骚扰和不当身体接触，拒绝后被调岗、扣绩效",
              asks: ["咨询职场性骚扰如何取证维权", "希望妇联协调用人单位处理"],
              details: ["已保存部分聊天记录", "同事中还有人有类似遭遇"]),
            s("遭到熟人性侵，事后一直不敢告诉家人，不知道现在报警还来不来得及",
              asks: ["咨询报警和取证途径，希望得到心理支持"],
              details: ["要求对个人信息严格保密"]),
            s("同村一名成年男子多次对自己{sage}岁的女儿言语骚扰并尾随，孩子不敢独自上学",
              ages: 30...50, asks: ["已报警，请求妇联协调村委会和学校共同关注"],
              details: ["要求对孩子信息严格保密"], only: true),
            s("今年{self}岁，在读初中，在网上认识的一名成年男子约其见面后对其实施了侵害，不敢告诉父母",
              ages: 13...16, asks: ["已耐心安抚，按强制报告要求协助报警并联系其监护人，安排心理咨询师跟进"],
              minorSelf: true),
            s("在出租车上遭到司机猥亵，下车后已报警，但情绪一直无法平复，夜里反复做噩梦",
              asks: ["希望得到心理疏导", "咨询后续如何配合警方取证"],
              details: ["记下了车牌号"]),
        ],
        .minorsRights: [
            s("{kid}今年{sage}岁，在学校长期被几名同学欺凌、索要钱物，向老师反映后情况没有改善",
              ages: 28...48, asks: ["希望妇联协调学校处理", "希望为孩子安排心理疏导"],
              details: ["孩子近期不愿上学、不愿说话", "已与班主任沟通过两次"]),
            s("离婚后{kid}随父亲生活，父亲长期外出打工，孩子由年迈的奶奶照顾，已多次辍学",
              ages: 28...48, asks: ["希望妇联联系相关部门帮助孩子复学", "咨询能否变更抚养权"],
              details: ["本人愿意接孩子一起生活"]),
            s("{kid}今年{sage}岁，沉迷网络游戏，多次偷拿家里的钱充值，亲子关系十分紧张",
              ages: 30...50, asks: ["希望获得家庭教育指导", "咨询游戏充值款能否追回"],
              details: ["累计充值已有{money2}元", "孩子父亲常年在外"]),
            s("丈夫去世后，婆家以孩子是家里唯一的孙子为由把孩子带走，不让自己见孩子",
              ages: 25...45, asks: ["咨询母亲监护权的法律规定", "希望妇联协调婆家"],
              details: ["孩子今年上小学", "已有{m}个月没见到孩子"]),
            s("{kid}今年{sage}岁，患有轻度智力障碍，学校多次劝其回家，孩子目前在家无学可上",
              ages: 30...48, asks: ["希望妇联联系教育部门落实随班就读", "咨询残疾儿童受教育权保障政策"],
              details: ["孩子已办理残疾证"]),
            s("今年{self}岁，父母离婚后跟继父一起生活，继父经常打骂，身上有伤，想离开这个家",
              ages: 12...16, asks: ["已安抚情绪，按规定上报并联系属地妇联、派出所上门核实"], minorSelf: true),
            s("今年{self}岁，父母在外打工，与爷爷奶奶一起生活，觉得学习压力很大、没人说话，晚上睡不着",
              ages: 12...16, asks: ["已转心理分线进行疏导，并建议其与班主任沟通"], minorSelf: true),
            s("邻居家一名约{sage}岁的女孩长期被独自留在家中，经常饿肚子，大人很少回来",
              ages: 35...65, asks: ["希望妇联协调村（社区）上门了解情况"],
              details: ["孩子冬天还穿着单衣"], only: true),
        ],
        .laborSocialSecurity: [
            s("在{place}一家服装厂工作{n}年，怀孕后被公司以岗位调整为由辞退，未给任何补偿",
              ages: 23...38, asks: ["咨询孕期被辞退如何维权", "申请法律援助，准备申请劳动仲裁"],
              details: ["同厂还有几名女工情况类似", "手中有工资条和考勤记录"]),
            s("产假结束回单位后被调到偏远岗位，工资降低近一半，单位暗示自己主动辞职",
              ages: 25...40, asks: ["咨询“三期”女职工权益保护规定", "希望妇联协调用人单位"],
              details: ["调岗没有任何书面通知"]),
            s("在一家餐馆打工，老板拖欠{m}个月工资共计{money2}元，多次讨要未果",
              ages: 30...58, asks: ["咨询讨薪途径", "希望妇联协调劳动监察部门"],
              details: ["未签订书面劳动合同", "老板说年底一起结"]),
            s("单位一直未给缴纳社会保险，生孩子的费用无法报销，也领不到生育津贴",
              ages: 23...38, asks: ["咨询生育保险和生育津贴政策", "咨询如何要求单位补缴社保"],
              details: ["已在单位工作{n}年"]),
            s("在家政公司做育儿嫂，工作中摔伤，公司以未签劳动合同为由拒绝承担医疗费",
              ages: 38...58, asks: ["咨询工伤认定及赔偿", "申请法律援助"],
              details: ["已花去医疗费{money2}元"]),
            s("应聘时被问及婚育情况，得知自己准备要孩子后被以“不适合岗位”为由拒绝录用",
              ages: 23...35, asks: ["咨询就业性别歧视如何维权"],
              details: ["面试过程有录音"]),
            s("丈夫在工地务工时因工死亡，施工单位以各种理由拖延工亡待遇的赔付",
              ages: 28...55, asks: ["咨询工亡待遇标准及申请程序", "申请法律援助"],
              details: ["家中还有两个孩子在读书", "包工头已联系不上"]),
            s("在{place}一家超市上班{n}年，单位以经营困难为由单方面降薪，只针对女员工",
              ages: 30...50, asks: ["希望妇联协调用人单位", "咨询劳动仲裁程序"],
              details: ["手中有工资条", "同岗位的男员工工资未变"]),
        ],
        .propertyRights: [
            s("出嫁后户口仍在村里，但村里分配土地征收补偿款时以“出嫁女”为由不予分配",
              ages: 25...50, asks: ["希望妇联协调村委会依法处理", "咨询出嫁女土地权益的法律规定"],
              details: ["已向村委会反映多次未果", "村里还有几户情况类似"]),
            s("离婚后户口一直未迁出，村民小组却收回了自己名下的土地承包经营权",
              ages: 28...55, asks: ["咨询维权途径", "希望妇联协调乡镇农经部门"],
              details: ["手中有户籍证明和承包合同", "已向村委会反映多次未果"]),
            s("丈夫去世后，公婆和小叔子要求自己放弃房屋继承，不同意就让自己带着孩子搬走",
              ages: 30...55, asks: ["咨询丧偶儿媳的继承权", "申请法律援助"],
              details: ["房屋是婚后夫妻共同出资所建"]),
            s("父母去世后，兄弟以女儿已出嫁为由，拒绝分割父母留下的房产",
              ages: 35...62, asks: ["咨询女儿的继承权", "希望妇联协助调解"],
              details: ["父母生前由本人照顾较多", "父母未留遗嘱"]),
            s("离婚时法院判决男方支付房屋折价款{money}，至今未支付，法院称对方名下无可执行财产",
              asks: ["咨询如何申请恢复执行", "希望妇联与法院沟通"],
              details: ["怀疑男方将财产转到亲属名下"]),
            s("丈夫瞒着自己将夫妻共有的住房抵押借款，现在房子面临被拍卖",
              asks: ["咨询如何主张夫妻共同财产权益", "申请法律援助"],
              details: ["抵押合同上的签名不是本人所签"]),
            s("再婚多年，丈夫去世后，继子女要求自己搬出共同居住了十几年的房屋",
              ages: 55...75, asks: ["咨询居住权的法律规定", "希望妇联协调家庭调解"],
              details: ["自己没有其他住处"]),
        ],
        .personalRights: [
            s("前男友在网上散布自己的隐私照片和不实言论，给工作和生活造成很大困扰",
              asks: ["咨询如何要求平台删除并追究责任", "已报警，希望妇联跟进关注"],
              details: ["已保存截图", "已向平台投诉未果"]),
            s("被人在微信群里造谣中伤，说自己作风有问题，影响到工作和家庭",
              asks: ["咨询名誉权受侵害如何维权"],
              details: ["已保存聊天记录和截图"]),
            s("因拒绝相亲对象的追求，对方多次在小区门口堵截纠缠，还到自己单位闹事",
              asks: ["咨询能否申请禁止令", "希望妇联协调派出所处理"],
              details: ["已报过一次警"]),
            s("在租住的房屋内发现疑似偷拍设备，房东拒不承认，自己不敢再回去住",
              asks: ["已报警，希望妇联跟进关注", "希望得到心理支持"],
              details: ["设备已交给派出所"]),
            s("被婚介机构以介绍对象为名先后骗取{money2}元，对方现已关门失联",
              ages: 35...60, asks: ["咨询如何追回被骗钱款"],
              details: ["手中有转账记录"]),
            s("在{place}某美容店做项目后面部受损，商家拒绝赔偿，还在网上发帖诋毁自己",
              asks: ["咨询维权途径", "希望妇联协调市场监管部门"],
              details: ["已到医院就诊并保留病历"]),
        ],
        .other: [
            s("确诊乳腺癌，正在化疗，家中经济困难",
              ages: 35...64, asks: ["咨询“两癌”救助的申请条件和流程"],
              details: ["丈夫在外打零工，孩子还在上学"], only: true),
            s("离婚后独自抚养{kid}，没有稳定工作",
              asks: ["咨询妇联有无针对单亲母亲的就业培训和帮扶政策"],
              details: ["孩子今年{age}岁", "每月靠打零工收入一千多元"], only: true),
            s("想参加妇联组织的家政或电商技能培训，但不知道{county}什么时候开班",
              asks: ["咨询报名方式"], details: ["目前在家带孩子，时间比较灵活"], only: true),
            s("准备结婚，和未婚夫在彩礼、婚后住处等问题上分歧较大，双方家庭都不愿让步",
              ages: 22...32, asks: ["咨询婚前辅导或婚姻家庭咨询服务"], only: true),
            s("社区“妇女之家”活动场所长期被挪作他用，姐妹们没有地方开展活动",
              ages: 35...65, asks: ["希望妇联了解情况"], only: true),
            s("在外务工多年后返乡，想在{place}开一家农家乐",
              ages: 28...50, asks: ["咨询妇女创业担保贷款政策"], details: ["已初步选好场地"], only: true),
        ],
    ]

    /// Requests that fit any situation of the category not marked `only`.
    static let genericAsks: [CaseCategory: [String]] = [
        .marriageFamily: ["希望妇联帮助调解家庭矛盾", "咨询相关法律规定及维权途径", "申请法律援助", "希望得到心理疏导和支持",
                          "希望妇联出面协调"],
        .domesticViolence: ["申请人身安全保护令", "希望妇联上门了解情况并协调处理", "需要临时庇护场所", "希望得到心理疏导",
                            "申请法律援助"],
        .sexualAssault: ["希望得到心理支持", "咨询报警和取证途径", "要求对个人信息严格保密"],
        .minorsRights: ["希望妇联协调相关部门关注孩子情况", "希望为孩子安排心理疏导"],
        .laborSocialSecurity: ["希望妇联协调用人单位", "申请法律援助", "咨询相关法律规定"],
        .propertyRights: ["咨询维权途径", "希望妇联协调处理", "申请法律援助", "希望了解相关法律规定"],
        .personalRights: ["咨询如何维权", "申请法律援助", "希望得到心理支持"],
        .other: ["希望妇联给予指导"],
    ]

    /// Facts that fit any situation of the category not marked `only`.
    static let extras: [CaseCategory: [String]] = [
        .marriageFamily: ["家中经济较为困难", "近期情绪很差，夜里睡不着", "此前未向其他部门反映过"],
        .domesticViolence: ["担心被报复，要求对个人信息保密", "近期情绪很差，夜里睡不着"],
        .sexualAssault: ["要求对个人信息严格保密"],
        .minorsRights: ["家中经济较为困难"],
        .laborSocialSecurity: ["家中经济较为困难"],
        .propertyRights: ["涉及金额较大"],
        .personalRights: ["近期情绪很差，夜里睡不着"],
        .other: [],
    ]

    /// What the operator or cadre did, for calls and visits.
    static let handlingNotes: [CaseCategory: [String]] = [
        .marriageFamily: ["已转家事调解员跟进", "已告知可申请婚姻家庭纠纷人民调解"],
        .domesticViolence: ["已告知遇紧急情况立即拨打110", "已提供反家暴庇护站联系方式", "已做安全提示并告知保护令申请方式",
                            "已登记，待转属地妇联开展危险评估"],
        .sexualAssault: ["已做好情绪安抚，并告知将严格保密", "已按程序上报"],
        .minorsRights: ["已登记，待转属地妇联联系学校和社区跟进"],
        .laborSocialSecurity: ["已安排值班律师解答", "已告知劳动保障监察投诉渠道"],
        .propertyRights: ["已安排值班律师解答"],
        .personalRights: ["已安排值班律师解答"],
    ]
    static let genericHandlingNotes = ["已记录并告知将转属地妇联跟进处理", "已进行情绪安抚", "已告知相关法律规定",
                                       "已告知将在规定时限内答复"]

    static let openers: [Channel: [String]] = [
        .call: ["来电人称，", "来电妇女反映：", "来电人自述：", "求助人来电称，", "来电人反映，"],
        .letter: ["来信反映：", "来信人称，", "来信称，"],
        .visit: ["来访人反映：", "来访妇女称，", "当事人到窗口反映：", "来访人称，"],
        .online: ["我", "您好，我", "本人"],
    ]
    /// Openers that do not presume an adult woman, for a child speaking for herself.
    static let neutralCallOpeners = ["来电人称，", "求助人来电称，", "来电人自述："]

    // MARK: Special kinds of contact

    /// Calls where the caller gives nothing about herself: what she said, and what the operator did.
    struct AnonymousCall: Sendable {
        let category: CaseCategory
        let texts: [String]
        let notes: [String]
    }
    static let anonymousCalls: [AnonymousCall] = [
        AnonymousCall(category: .domesticViolence, texts: [
            "来电人未留姓名，称住在{place}，邻居家夫妻近来经常激烈争吵，夜里能听到女方呼救和孩子哭声",
            "来电人不愿透露姓名，反映{place}某小区一户人家男方经常打骂妻子，前天女方脸上带伤出门",
        ], notes: ["希望妇联联系社区上门了解情况。已记录，将转属地妇联核实", "担心被对方知道是自己反映的。已告知将严格保密并转属地妇联核实"]),
        AnonymousCall(category: .domesticViolence, texts: [
            "来电人不愿透露姓名和住址，称遭受丈夫打骂{y}年，想了解报警后会有什么后果、能不能申请保护令",
            "来电人未留姓名，称丈夫一喝酒就动手，自己不敢离婚，担心孩子没人照顾",
        ], notes: ["通话中情绪低落。已告知相关法律规定及求助途径", "已告知遇紧急情况立即拨打110，并提供反家暴庇护站联系方式"]),
        AnonymousCall(category: .minorsRights, texts: [
            "来电人未留姓名，反映{place}一名约十岁的女孩经常独自在外游荡到深夜，衣着单薄，疑似无人照看",
            "来电人不愿透露姓名，反映{place}某小学一名女生身上常有伤痕，怀疑在家中遭受打骂",
        ], notes: ["希望妇联和村（社区）关注。已记录，将转属地妇联联系学校和社区", "已按程序登记上报，待属地妇联会同相关部门核实"]),
        AnonymousCall(category: .marriageFamily, texts: [
            "来电人未留姓名，称丈夫坚持要离婚，自己没有工作也没有收入，不知道以后怎么生活，只想找人说说话",
            "来电人未留姓名，称与丈夫冷战{m}个月，夜里睡不着，觉得活着没意思",
        ], notes: ["已进行情绪疏导，并告知可随时再拨打12338", "已转心理分线继续疏导，并告知心理援助热线"]),
        AnonymousCall(category: .sexualAssault, texts: [
            "来电人未留姓名，称在工作中多次遭到上司骚扰，担心说出来会丢掉工作，想了解单位是否有义务处理",
        ], notes: ["已告知相关法律规定及维权途径", "已告知可向用人单位书面投诉并保留证据"]),
        AnonymousCall(category: .other, texts: [
            "来电人未留姓名，咨询妇联“两癌”救助政策的申请条件和所需材料",
            "来电人未留姓名，咨询{county}妇联是否组织免费的家政技能培训",
        ], notes: ["已告知政策内容及属地妇联联系方式", "已告知属地妇联联系方式"]),
    ]

    /// Letters written for someone else. The petitioner is the person concerned; `relation` names the writer.
    struct OnBehalfLetter: Sendable {
        let category: CaseCategory
        let ages: ClosedRange<Int>
        let minor: Bool
        let intros: [String]
        let body: String
        let asks: [String]
    }
    static let onBehalfLetters: [OnBehalfLetter] = [
        OnBehalfLetter(category: .domesticViolence, ages: 58...72, minor: false,
                       intros: ["来信人系当事人的女儿，称母亲不识字，代母亲写信反映：", "来信人是当事人的女儿，在外地工作，代母亲反映："],
                       body: "父亲多年来酒后打骂母亲，母亲今年{self}岁，身上常有伤，一直忍着不愿声张",
                       asks: ["希望妇联上门了解情况，帮帮母亲", "请求妇联联系当地派出所和村委会，制止父亲的暴力行为"]),
        OnBehalfLetter(category: .propertyRights, ages: 50...68, minor: false,
                       intros: ["来信人系当事人之子，在外地务工，代母亲反映：", "来信人是当事人的儿子，代母亲反映："],
                       body: "父亲去世后，叔伯以母亲是外姓人为由，要求母亲搬出老屋，并占用家中{n}亩承包地",
                       asks: ["请求妇联协调村委会依法处理", "希望妇联帮助母亲维护继承权和承包地权益"]),
        OnBehalfLetter(category: .propertyRights, ages: 45...62, minor: false,
                       intros: ["来信人系当事人的女儿，代母亲反映：", "来信人是当事人的女儿，称母亲年纪大、不会写字，代为反映："],
                       body: "母亲离婚后回到娘家所在村居住，村里以户口问题为由{n}年来一直未给母亲分配承包地",
                       asks: ["希望妇联帮忙了解政策、协调解决", "请求妇联协调村委会依法处理"]),
        OnBehalfLetter(category: .domesticViolence, ages: 24...40, minor: false,
                       intros: ["来信人系当事人的姐姐，代妹妹反映：", "来信人是当事人的表姐，代为反映："],
                       body: "当事人婚后{y}年来长期遭受丈夫殴打，手机被丈夫控制，本人不敢写信求助",
                       asks: ["请求妇联与当地派出所联系，核实情况并提供帮助", "希望妇联尽快上门了解情况，必要时帮助其申请人身安全保护令"]),
        OnBehalfLetter(category: .marriageFamily, ages: 71...82, minor: false,
                       intros: ["来信人系当事人所在村的妇联执委，代为反映：", "来信人系当事人的邻居，代为反映："],
                       body: "当事人今年{self}岁，独居多病，膝下{c}个子女均不尽赡养义务，生活十分困难",
                       asks: ["请求妇联协调督促子女履行赡养义务", "希望妇联会同村委会组织家庭调解"]),
        OnBehalfLetter(category: .minorsRights, ages: 10...15, minor: true,
                       intros: ["来信人系孩子的外婆，代外孙女反映：", "来信人是孩子的外婆，托人代笔反映："],
                       body: "女儿病故后，女婿再婚，对孩子不管不问，孩子今年{self}岁，生活和学习无人照顾",
                       asks: ["希望妇联帮助孩子落实监护和助学", "请求妇联协调孩子父亲履行抚养义务"]),
    ]

    /// Walk-ins of five or more people (集体访); the petitioner is their representative, named in `{rep}`.
    struct CollectiveVisit: Sendable {
        let category: CaseCategory
        let visitors: ClosedRange<Int>
        let text: String
        let asks: [String]
    }
    static let collectiveVisits: [CollectiveVisit] = [
        CollectiveVisit(category: .laborSocialSecurity, visitors: 8...15,
                        text: "{n}名女工集体来访，反映在{place}一家食品加工厂工作，老板拖欠{m}个月工资共计{money}，目前已联系不上",
                        asks: ["请求妇联协调劳动监察部门处理", "希望妇联帮助讨回工资"]),
        CollectiveVisit(category: .propertyRights, visitors: 5...9,
                        text: "{place}同村{n}名出嫁女集体来访，反映村里分配土地征收补偿款时以出嫁为由将她们排除在外",
                        asks: ["请求妇联协调依法维护其合法权益", "希望妇联协调镇政府督促村里纠正"]),
        CollectiveVisit(category: .laborSocialSecurity, visitors: 5...7,
                        text: "{n}名家政服务员集体来访，反映所在家政公司扣押押金、拖欠工资，公司负责人避而不见",
                        asks: ["希望妇联帮助协调", "请求妇联协调市场监管和劳动监察部门处理"]),
        CollectiveVisit(category: .propertyRights, visitors: 5...8,
                        text: "{n}名离婚妇女集体来访，反映所在村民小组在土地延包中收回了她们的承包地",
                        asks: ["请求妇联协调相关部门依法处理", "希望妇联协调乡镇农经部门复核"]),
        CollectiveVisit(category: .other, visitors: 5...6,
                        text: "{n}名社区居民集体来访，反映社区“妇女之家”活动场所长期被挪作他用，妇女群众没有地方开展活动",
                        asks: ["希望妇联了解情况"]),
    ]
    /// What the cadre did at a collective visit.
    static let collectiveNotes = ["已做好政策解释和情绪疏导，来访群众有序离开", "已登记并报告带班领导", "已告知将在规定时限内答复",
                                  "已约定由属地妇联牵头会同相关部门处理"]

    // MARK: Repeat contacts

    static let followUps: [CaseCategory: [String]] = [
        .marriageFamily: ["称上次调解后对方态度有所转变，但仍未支付抚养费", "补充提供了对方转移财产的相关线索",
                          "称双方又因孩子的事发生争执，调解协议没有得到履行", "称对方已向法院起诉离婚，询问如何应诉",
                          "称对方同意坐下来谈，希望妇联安排调解时间"],
        .domesticViolence: ["称丈夫近日又一次动手，比上次更加害怕", "反映对方收到告诫书后有所收敛，但仍不断发信息威胁",
                            "称已搬到娘家居住，询问人身安全保护令的申请进展", "称对方找到了自己的临时住处，在门外守了一夜",
                            "称法院已受理保护令申请，询问能否请妇联陪同出庭"],
        .sexualAssault: ["询问案件在公安机关的办理进展", "称近期情绪仍不稳定，希望继续安排心理咨询"],
        .minorsRights: ["称孩子在学校的情况仍无明显改善", "询问学校方面的处理结果", "称孩子这周又没有去上学"],
        .laborSocialSecurity: ["称用人单位至今未与其联系协商", "询问劳动仲裁申请材料是否齐全", "称已申请劳动仲裁，询问能否申请法律援助"],
        .propertyRights: ["称村委会仍未作出答复", "补充提交了户籍证明和承包合同复印件", "称村里开会仍未将其列入分配名单"],
        .personalRights: ["称对方仍在继续散布不实信息", "询问派出所是否已经立案"],
        .other: ["询问之前咨询事项的办理情况"],
    ]
    static let genericFollowUps = ["询问此前反映问题的办理进度", "对办理进度不满意，要求加快处理", "补充反映了新的情况，希望一并处理",
                                   "称距上次反映已过去{d}天，承办单位尚未与其联系", "称承办人已电话联系过一次，但问题仍未解决",
                                   "希望了解承办单位的联系方式"]
    static let followUpClosings = ["希望尽快得到答复", "请求加快办理", "已告知将督促承办单位跟进", "已做好解释和安抚工作",
                                   "已记录并转承办人", "已告知办理时限及查询方式"]

    // MARK: Windows

    static let leaderWindow = "市妇联领导接访室"
}
